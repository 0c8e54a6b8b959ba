import type { HistorySample } from '../history/history-series.js';
import { mergeHistograms, meanOf } from '../history/latency-histogram.js';
import type { QueueFlow } from './drain-forecast.js';
import { smoothed } from './drain-forecast.js';

/** How much a new minute weighs in the smoothed rates (about the last five minutes count). */
const alpha = 0.3;

/** A queue's flow, and the mean processing time the rates were measured with. */
export interface MeasuredFlow extends QueueFlow {
  /** Mean processing time of the jobs completed in the minutes read (s); `null` without any. */
  readonly serviceTime: number | null;
}

/**
 * The flow of a queue from its last whole minutes (oldest first; a minute with nothing kept
 * counts as zero arrivals) and its latest reading. The arrival rate is the smoothed jobs added
 * per minute. The service rate is what the workers finish per minute while they have a backlog
 * (a minute that ended with jobs waiting); when no such minute was seen, it is the capacity the
 * processing time allows: servers ÷ mean processing time.
 */
export function flowOf(
  minutes: readonly HistorySample[],
  latest: Pick<HistorySample, 'backlog' | 'workers'> | null,
  concurrency: number,
): MeasuredFlow {
  const arrivals = smoothed(
    minutes.map((minute) => Math.max(0, minute.added)),
    alpha,
  );
  const busy = minutes.filter((minute) => (minute.backlog ?? 0) > 0);
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
