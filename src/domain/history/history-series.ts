import { type Histogram, mergeHistograms, quantileOf } from './latency-histogram.js';

/** How far back a series reaches. */
export type HistoryRange = '1h' | '24h' | '7d' | '30d';

/** The resolution kept: one-minute points and one-hour points. */
export type HistoryStep = 'minute' | 'hour';

export const stepMs: Readonly<Record<HistoryStep, number>> = { minute: 60_000, hour: 3_600_000 };

/** Each range: which points it reads, and how many. */
export const historyRanges: Readonly<Record<HistoryRange, { step: HistoryStep; points: number }>> =
  {
    '1h': { step: 'minute', points: 60 },
    '24h': { step: 'minute', points: 1_440 },
    '7d': { step: 'hour', points: 168 },
    '30d': { step: 'hour', points: 720 },
  };

export function isHistoryRange(text: string): text is HistoryRange {
  return Object.hasOwn(historyRanges, text);
}

/** What is kept of one queue for one minute or hour, as read back. */
export interface HistorySample {
  /** The start of the minute or hour (ms since the epoch). */
  readonly at: number;
  readonly added: number;
  readonly completed: number;
  readonly failed: number;
  /** Attempts that failed and went back to wait for another. */
  readonly retried: number;
  /** The last reading in the step; `null` when none was taken. */
  readonly backlog: number | null;
  readonly active: number | null;
  readonly workers: number | null;
  /** From when a job could start (added, or its delay over) to its first start (ms). */
  readonly wait: Histogram;
  /** From start to completion (ms). */
  readonly processing: Histogram;
}

/** One point of a series, as the API and the charts show it. */
export interface HistoryPoint {
  readonly at: number;
  readonly added: number;
  readonly completed: number;
  readonly failed: number;
  readonly retried: number;
  readonly backlog: number | null;
  readonly active: number | null;
  readonly workers: number | null;
  readonly waitP50Ms: number | null;
  readonly waitP95Ms: number | null;
  readonly processingP50Ms: number | null;
  readonly processingP95Ms: number | null;
}

/** The starts of the steps a range covers, oldest first, ending with the step `now` is in. */
export function stepsOf(range: HistoryRange, now: number): number[] {
  const { step, points } = historyRanges[range];
  const size = stepMs[step];
  const last = Math.floor(now / size) * size;
  return Array.from({ length: points }, (_, index) => last - (points - 1 - index) * size);
}

/**
 * The series of a range: one point per step, zero counts and no readings where nothing was kept.
 * Samples off the grid (from a clock that ran ahead, or from before the range) are left out, and
 * a count never goes below zero, so a clock that jumps leaves no broken point.
 */
export function seriesOf(
  range: HistoryRange,
  now: number,
  samples: readonly HistorySample[],
): HistoryPoint[] {
  const byStart = new Map(samples.map((sample) => [sample.at, sample]));
  return stepsOf(range, now).map((at) => pointOf(at, byStart.get(at)));
}

/** Add the samples of several queues for one step: counts, readings and durations. */
export function combineSamples(at: number, samples: readonly HistorySample[]): HistorySample {
  const total = (pick: (sample: HistorySample) => number): number =>
    samples.reduce((sum, sample) => sum + Math.max(0, pick(sample)), 0);
  const reading = (pick: (sample: HistorySample) => number | null): number | null => {
    const readings = samples.map(pick).filter((value): value is number => value !== null);
    return readings.length === 0 ? null : readings.reduce((sum, value) => sum + value, 0);
  };
  return {
    at,
    added: total((sample) => sample.added),
    completed: total((sample) => sample.completed),
    failed: total((sample) => sample.failed),
    retried: total((sample) => sample.retried),
    backlog: reading((sample) => sample.backlog),
    active: reading((sample) => sample.active),
    workers: reading((sample) => sample.workers),
    wait: mergeHistograms(samples.map((sample) => sample.wait)),
    processing: mergeHistograms(samples.map((sample) => sample.processing)),
  };
}

function pointOf(at: number, sample: HistorySample | undefined): HistoryPoint {
  if (!sample) {
    return {
      at,
      added: 0,
      completed: 0,
      failed: 0,
      retried: 0,
      backlog: null,
      active: null,
      workers: null,
      waitP50Ms: null,
      waitP95Ms: null,
      processingP50Ms: null,
      processingP95Ms: null,
    };
  }
  return {
    at,
    added: Math.max(0, sample.added),
    completed: Math.max(0, sample.completed),
    failed: Math.max(0, sample.failed),
    retried: Math.max(0, sample.retried),
    backlog: sample.backlog,
    active: sample.active,
    workers: sample.workers,
    waitP50Ms: quantileOf(sample.wait, 0.5),
    waitP95Ms: quantileOf(sample.wait, 0.95),
    processingP50Ms: quantileOf(sample.processing, 0.5),
    processingP95Ms: quantileOf(sample.processing, 0.95),
  };
}
