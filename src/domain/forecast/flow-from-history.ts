import type { HistorySample } from '../history/history-series.js';
import { mergeHistograms, meanOf } from '../history/latency-histogram.js';
import type { QueueFlow } from './drain-forecast.js';
import { smoothed } from './drain-forecast.js';

/** How much a new minute weighs in the smoothed rates (the last three minutes count most). */
const alpha = 0.5;

/** The minute in progress counts once this much of it has passed. */
const partialMinuteMs = 30_000;

/** A queue's flow, and the mean processing time the rates were measured with. */
export interface MeasuredFlow extends QueueFlow {
  /** Mean processing time of the jobs completed in the minutes read (s); `null` without any. */
  readonly serviceTime: number | null;
}

/** The minute in progress: what it has counted so far, and how much of it has passed. */
export interface PartialMinute {
  readonly added: number;
  readonly elapsedMs: number;
}

/**
 * The flow of a queue from its last whole minutes (oldest first; only minutes Queuewatch kept:
 * a minute with no point at all, before the history began or while no instance ran, is left out,
 * not counted as zero), the minute in progress, and its latest reading. The arrival rate is the
 * smoothed jobs added per minute, the minute in progress counted at its pace once half of it has
 * passed. The service rate is what the workers finish per minute while they are busy all minute
 * (the minute and the one before it ended with jobs waiting); when no such minute was seen, it is
 * the capacity the processing time allows: servers ÷ mean processing time.
 */
export function flowOf(
  minutes: readonly HistorySample[],
  latest: Pick<HistorySample, 'backlog' | 'workers'> | null,
  concurrency: number,
  current: PartialMinute | null = null,
): MeasuredFlow {
  const perMinute = minutes.map((minute) => Math.max(0, minute.added));
  if (current && current.elapsedMs >= partialMinuteMs) {
    perMinute.push((Math.max(0, current.added) * 60_000) / current.elapsedMs);
  }
  const arrivals = smoothed(perMinute, alpha);
  const busy = minutes.filter(
    (minute, index) =>
      (minute.backlog ?? 0) > 0 &&
      (minutes[index - 1]?.backlog ?? 0) > 0 &&
      minute.at - (minutes[index - 1]?.at ?? 0) === 60_000,
  );
  const served = smoothed(
    busy.map((minute) => Math.max(0, minute.completed) + Math.max(0, minute.failed)),
    alpha,
  );
  const meanMs = meanOf(mergeHistograms(minutes.map((minute) => minute.processing)));
  const serviceTime = meanMs === null ? null : Math.max(meanMs, 1) / 1000;
  const workers = latest?.workers ?? null;
  let serviceRate = served === null ? null : served / 60;
  if (serviceRate === null && serviceTime !== null && workers !== null) {
    serviceRate = (workers * concurrency) / serviceTime;
  }
  return {
    backlog: Math.max(0, latest?.backlog ?? 0),
    arrivalRate: (arrivals ?? 0) / 60,
    serviceRate,
    workers,
    serviceTime,
  };
}
