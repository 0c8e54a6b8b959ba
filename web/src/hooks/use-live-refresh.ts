import { useEffect, useRef } from 'react';
import { useQueueEvents } from './use-queue-events.js';

/** The least time between two refreshes caused by events (a busy queue sends hundreds). */
export const liveRefreshGapMs = 1_000;

/**
 * Calls `refresh` when a job of the queue (`"*"`: any) completes or fails, at most once per
 * `liveRefreshGapMs`, so counts move between the regular reads. Answers the connection state.
 */
export function useLiveRefresh(queueName: string, refresh: () => void) {
  const latest = useRef(refresh);
  useEffect(() => {
    latest.current = refresh;
  });
  const last = useRef(0);
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(
    () => () => {
      clearTimeout(pending.current);
    },
    [],
  );
  return useQueueEvents(queueName, (event) => {
    if (event.type !== 'job-completed' && event.type !== 'job-failed') return;
    if (pending.current !== undefined) return;
    const wait = Math.max(0, last.current + liveRefreshGapMs - Date.now());
    pending.current = setTimeout(() => {
      pending.current = undefined;
      last.current = Date.now();
      latest.current();
    }, wait);
  });
}
