import { useEffect, useRef, useState } from 'react';
import { useJobLogPage } from '../api/console-api.js';
import type { ConnectionState } from '../socket/progress-connection.js';
import { useProgressConnection } from '../socket/progress-connection-context.js';

/** How often the shown page of a log is read while the socket is down. */
export const logPollMs = 2_000;

/** Lines of a job's log shown at once. */
export const logPageSize = 50;

/**
 * A page of a job's log: read over HTTP, and while the socket is up followed through
 * `subscribe-to-job-logs` (sent again after every reconnect, from the lines known by then) with no
 * polling; while it is down the page is read every two seconds. Lines pushed are kept by their
 * index, so a push and a read of the same line never show it twice.
 */
export function useJobLogs(queueName: string, jobId: string, offset: number) {
  const connection = useProgressConnection();
  const [state, setState] = useState<ConnectionState>(() => connection.state);
  const [pushed, setPushed] = useState<ReadonlyMap<number, string>>(new Map());
  const [refusal, setRefusal] = useState<string | null>(null);
  const page = useJobLogPage(
    queueName,
    jobId,
    offset,
    logPageSize,
    state.connected ? 0 : logPollMs,
  );
  const known = useRef(0);
  known.current = Math.max(known.current, page.data?.total ?? 0, lastIndex(pushed) + 1);

  useEffect(() => {
    setPushed(new Map());
    known.current = 0;
  }, [queueName, jobId]);

  useEffect(() => {
    const follow = () =>
      lease.request(
        'subscribe-to-job-logs',
        { queueName, jobId, offset: known.current },
        (reply) => {
          setRefusal(reply.ok ? null : reply.error.message);
        },
      );
    const lease = connection.acquire({
      onState: (next) => {
        setState(next);
        if (next.connected) follow();
      },
      onConsoleEvent: (event) => {
        if (event.type !== 'job-log') return;
        const { payload } = event;
        if (payload.queueName !== queueName || payload.jobId !== jobId) return;
        setPushed((previous) => {
          const next = new Map(previous);
          payload.lines.forEach((line, index) => next.set(payload.offset + index, line));
          return next;
        });
      },
    });
    setState(connection.state);
    follow();
    return () => {
      lease.request('unsubscribe-from-job-logs', { queueName, jobId });
      lease.release();
    };
  }, [connection, queueName, jobId]);

  const total = Math.max(page.data?.total ?? 0, lastIndex(pushed) + 1);
  const lines: { index: number; text: string }[] = [];
  for (let index = offset; index < Math.min(total, offset + logPageSize); index += 1) {
    const text = page.data?.lines[index - page.data.offset] ?? pushed.get(index);
    if (text !== undefined) lines.push({ index, text });
  }
  return {
    lines,
    total,
    error: page.error ?? null,
    loading: !page.data && !page.error,
    live: state.connected && refusal === null,
    refusal,
  };
}

function lastIndex(lines: ReadonlyMap<number, string>): number {
  let last = -1;
  for (const index of lines.keys()) last = Math.max(last, index);
  return last;
}
