import type { WindowCounts } from '../failure-rate/failure-window.js';

/** When a queue's failures raise an alert, and when the alert clears. */
export interface FailureThreshold {
  /** Failures in the window that fire the alert (default 10). */
  readonly count: number;
  /** The window (ms; default 5 minutes). */
  readonly windowMs: number;
  /** The alert resolves once failures in the window are at most this (default: half of count). */
  readonly clearCount: number;
  /** Optional: failed / (failed + completed) that fires the alert, from `minVolume` jobs on. */
  readonly rate: number | null;
  /** Finished jobs in the window before the rate counts. */
  readonly minVolume: number;
}

/** The default rule: 10 failures in 5 minutes. */
export const defaultFailureThreshold: FailureThreshold = {
  count: 10,
  windowMs: 5 * 60_000,
  clearCount: 5,
  rate: null,
  minVolume: 20,
};

/** What the window says against the threshold. */
export interface FailureReading {
  readonly failed: number;
  readonly completed: number;
  /** failed / (failed + completed); `null` with nothing finished. */
  readonly failureRate: number | null;
  readonly successRate: number | null;
  /** The rate is judged only from `minVolume` finished jobs on. */
  readonly rateCounts: boolean;
  readonly breached: boolean;
  readonly cleared: boolean;
}

/** Judge window counts against a threshold. */
export function readFailures(counts: WindowCounts, threshold: FailureThreshold): FailureReading {
  const finished = counts.failed + counts.completed;
  const failureRate = finished === 0 ? null : counts.failed / finished;
  const { rate } = threshold;
  const rateCounts = rate !== null && finished >= threshold.minVolume;
  const rateBreached = rate !== null && rateCounts && failureRate !== null && failureRate >= rate;
  // The rate clears at half its trigger, like the count, so an alert does not flap at the edge.
  const rateClear = rate === null || !rateCounts || failureRate === null || failureRate < rate / 2;
  return {
    failed: counts.failed,
    completed: counts.completed,
    failureRate,
    successRate: failureRate === null ? null : 1 - failureRate,
    rateCounts,
    breached: counts.failed >= threshold.count || rateBreached,
    cleared: counts.failed <= threshold.clearCount && rateClear,
  };
}
