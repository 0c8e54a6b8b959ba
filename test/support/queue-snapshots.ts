import type { JobCounts, QueueSnapshot } from '../../src/domain/queue-health/index.js';

/** Counts of an idle, empty queue. */
export const emptyCounts: JobCounts = {
  waiting: 0,
  active: 0,
  completed: 0,
  failed: 0,
  delayed: 0,
  paused: 0,
  prioritized: 0,
  waitingChildren: 0,
};

/** A healthy queue snapshot with one worker; override what the test is about. */
export function queueSnapshot(
  overrides: Partial<Omit<QueueSnapshot, 'counts'>> & { counts?: Partial<JobCounts> } = {},
): QueueSnapshot {
  const { counts, ...rest } = overrides;
  return {
    name: 'wallet-operations',
    isPaused: false,
    workerCount: 1,
    activeStartedAt: [],
    recentProcessingTimesMs: [],
    finishedInWindow: { completed: 0, failed: 0 },
    lastFinishedAt: null,
    ...rest,
    counts: { ...emptyCounts, ...counts },
  };
}
