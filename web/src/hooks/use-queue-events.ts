import { useEffect, useRef, useState } from 'react';
import type { ConnectionState } from '../socket/progress-connection.js';
import { useProgressConnection } from '../socket/progress-connection-context.js';
import { matches, type ProgressEvent, type Subscription } from '../socket/progress-event.js';

/**
 * Every event of a queue (`"*"`: of every queue) through the page's shared socket; `null` only
 * holds the connection, for its state. Answers the connection state.
 */
export function useQueueEvents(
  queueName: string | null,
  onEvent?: (event: ProgressEvent) => void,
): ConnectionState {
  const connection = useProgressConnection();
  const handler = useRef(onEvent);
  useEffect(() => {
    handler.current = onEvent;
  });
  const [state, setState] = useState<ConnectionState>(() => connection.state);
  useEffect(() => {
    const subscription: Subscription | null =
      queueName === null ? null : { kind: 'queue', queueName };
    const lease = connection.acquire({
      onState: setState,
      onEvent: (event) => {
        if (subscription && matches(subscription, event)) handler.current?.(event);
      },
    });
    setState(connection.state);
    if (subscription) lease.subscribe(subscription);
    return () => {
      lease.release();
    };
  }, [connection, queueName]);
  return state;
}
