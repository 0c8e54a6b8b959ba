/**
 * Jobs per state, as BullMQ keeps them. `waiting` includes prioritized jobs; `paused` counts the
 * jobs a pause holds back (while paused, the waiting ones).
 */
export interface JobCounts {
  readonly waiting: number;
  readonly active: number;
  readonly completed: number;
  readonly failed: number;
  readonly delayed: number;
  readonly paused: number;
  readonly prioritized: number;
  readonly waitingChildren: number;
}

/** What was read of one queue at one moment; the input of its health verdict. */
export interface QueueSnapshot {
  readonly name: string;
  readonly counts: JobCounts;
  readonly isPaused: boolean;
  /** Connected workers; `null` when Redis does not allow listing clients. */
  readonly workerCount: number | null;
  /**
   * When the oldest active jobs started processing (ms epoch), oldest first, read until the first
   * one that was not stale at read time (so a healthy queue reads one), at most a bounded sample.
   */
  readonly activeStartedAt: readonly number[];
  /** Processing time (ms) of the most recently completed jobs, at most a bounded sample. */
  readonly recentProcessingTimesMs: readonly number[];
  /** Jobs that finished inside the error-rate window. */
  readonly finishedInWindow: { readonly completed: number; readonly failed: number };
  /** When the last job finished, completed or failed (ms epoch); `null` when none is kept. */
  readonly lastFinishedAt: number | null;
}
