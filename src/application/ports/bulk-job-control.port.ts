import type { CleanableState } from '../contract/console.js';

/** One chunk of a bulk change: how many jobs it changed, and whether more may be left. */
export interface Chunk {
  readonly changed: number;
  readonly more: boolean;
}

/** One chunk of a filtered retry: also how many jobs it looked at and left alone. */
export interface FilteredChunk extends Chunk {
  /** Jobs looked at that did not match: the next chunk starts after them. */
  readonly passed: number;
}

/** Which failed jobs a retry takes: all, or those of a name and/or a reason containing a text. */
export interface FailedJobFilter {
  readonly name?: string;
  readonly reason?: string;
}

/**
 * Bulk changes, one small bounded step at a time (at most `max` jobs per Redis call), so a change
 * to 100,000 jobs never holds Redis for long and can stop between steps.
 */
export interface BulkJobControl {
  /** Jobs in `state`; for `failed`, only those that failed at or before `before` (ms). */
  count(queueName: string, state: CleanableState, before?: number): Promise<number>;
  /** Move up to `max` jobs that failed at or before `before` back to wait. */
  retryFailed(queueName: string, before: number, max: number): Promise<Chunk>;
  /**
   * Look at up to `max` jobs that failed at or before `before`, past the first `skip` of them,
   * and retry each that matches `filter`, each in its own atomic step.
   */
  retryMatching(
    queueName: string,
    filter: FailedJobFilter,
    before: number,
    skip: number,
    max: number,
  ): Promise<FilteredChunk>;
  /** Move up to `max` delayed jobs to wait. */
  promoteDelayed(queueName: string, max: number): Promise<Chunk>;
  /** Remove up to `max` jobs of `state` older than `olderThan` (ms since the epoch). */
  clean(queueName: string, state: CleanableState, olderThan: number, max: number): Promise<Chunk>;
}
