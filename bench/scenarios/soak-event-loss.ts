import type { LoadStats, PoolCounts } from './soak-probe.js';

/** `job-completed` + `job-failed` received by every client against what the workers produced. */
export interface EventLoss {
  /** Completions and failed attempts the workers saw (the sentinel left out). */
  readonly completions: number;
  readonly failedAttempts: number;
  readonly clients: number;
  /** Every client should receive every event: produced × clients. */
  readonly expected: number;
  readonly received: number;
  /** Events a client did not receive, summed over clients. */
  readonly lost: number;
  /** Events a client received more often than they happened, summed over clients. */
  readonly extra: number;
  /** The most one client missed, and how many clients received exactly every event. */
  readonly worstClientLost: number;
  readonly clientsExact: number;
  /** Split by kind, summed over clients (negative: more than produced). */
  readonly completionsLost: number;
  readonly failuresLost: number;
  readonly sawSentinel: number;
  readonly disconnects: number;
}

/** Compare each client's counts with the load's, once the sentinel has reached every client. */
export function countEventLoss(load: LoadStats, pools: readonly PoolCounts[]): EventLoss {
  const produced = load.completed + load.failedAttempts;
  const completed = pools.flatMap((pool) => pool.completed);
  const failed = pools.flatMap((pool) => pool.failed);
  const received = completed.map((count, index) => count + (failed[index] ?? 0));
  const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
  return {
    completions: load.completed,
    failedAttempts: load.failedAttempts,
    clients: received.length,
    expected: produced * received.length,
    received: sum(received),
    lost: sum(received.map((count) => Math.max(0, produced - count))),
    extra: sum(received.map((count) => Math.max(0, count - produced))),
    worstClientLost: Math.max(0, ...received.map((count) => produced - count)),
    clientsExact: received.filter((count) => count === produced).length,
    completionsLost: sum(completed.map((count) => load.completed - count)),
    failuresLost: sum(failed.map((count) => load.failedAttempts - count)),
    sawSentinel: sum(pools.map((pool) => pool.sawSentinel)),
    disconnects: sum(pools.map((pool) => pool.disconnects)),
  };
}
