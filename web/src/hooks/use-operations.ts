import { useCallback, useEffect, useState } from 'react';
import useSWR from 'swr';
import type { OperationBody } from '../../../src/application/contract/index.js';
import { apiPaths } from '../api/api-paths.js';
import { requestJson } from '../api/request-json.js';
import type { ConnectionState } from '../socket/progress-connection.js';
import { useProgressConnection } from '../socket/progress-connection-context.js';

/** How often a running operation is read while the socket is down. */
export const operationPollMs = 1_000;

/**
 * The bulk operations of a queue (retry all, promote all, clean): those started here, and any
 * other the gateway reports through `operation-progress`. Pushed while the socket is up, read
 * every second while it is down.
 */
export function useOperations(queueName: string) {
  const connection = useProgressConnection();
  const [state, setState] = useState<ConnectionState>(() => connection.state);
  const [operations, setOperations] = useState<readonly OperationBody[]>([]);
  const track = useCallback((operation: OperationBody) => {
    setOperations((previous) => {
      const others = previous.filter((known) => known.id !== operation.id);
      const known = previous.find((candidate) => candidate.id === operation.id);
      // A late answer never takes back progress already pushed.
      if (known && known.status !== 'running' && operation.status === 'running') return previous;
      if (known && operation.status === 'running' && operation.done < known.done) return previous;
      return [operation, ...others];
    });
  }, []);
  useEffect(() => {
    const lease = connection.acquire({
      onState: setState,
      onConsoleEvent: (event) => {
        if (event.type === 'operation-progress' && event.payload.queueName === queueName) {
          track(event.payload);
        }
      },
    });
    setState(connection.state);
    return () => {
      lease.release();
    };
  }, [connection, queueName, track]);
  const running = operations.filter((operation) => operation.status === 'running');
  const { data } = useSWR(
    state.connected || running.length === 0
      ? null
      : ['queuewatch/operations', ...running.map((operation) => operation.id)],
    () =>
      Promise.all(
        running.map((operation) => requestJson<OperationBody>(apiPaths.operation(operation.id))),
      ),
    { refreshInterval: operationPollMs, dedupingInterval: 0, revalidateOnFocus: false },
  );
  useEffect(() => {
    for (const operation of data ?? []) track(operation);
  }, [data, track]);
  const cancel = useCallback(
    async (id: string) => {
      track(await requestJson<OperationBody>(apiPaths.cancelOperation(id), { method: 'POST' }));
    },
    [track],
  );
  return { operations, track, cancel };
}
