import type { HistorySample } from '../history/history-series.js';
import { mergeHistograms, meanOf } from '../history/latency-histogram.js';
import { recentRate } from './arrival-rate.js';
import type { QueueFlow } from './drain-forecast.js';

/** The minute in progress counts once this much of it has passed (fewer jobs tell nothing yet). */
const partialMinuteMs = 5_000;

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
 * pooled rate of the newest minutes that agree with each other, the minute in progress counted
 * for the time it has run (see {@link recentRate}): steady arrivals are averaged over the window
 * and a step is followed within seconds. The service rate is what the workers finish while they
 * are busy all minute (the minute and the one before it ended with jobs waiting), pooled the same
 * way over those minutes, so that a change of workers shows as a step; when no such minute was
 * seen, it is the capacity the processing time allows: servers ÷ mean processing time.
 */
export function flowOf(
  minutes: readonly HistorySample[],
  latest: Pick<HistorySample, 'backlog' | 'workers'> | null,
  concurrency: number,
  current: PartialMinute | null = null,
): MeasuredFlow {
  const counts = minutes.map((minute) => ({ jobs: minute.added, ms: 60_000 }));
  if (current && current.elapsedMs >= partialMinuteMs) {
    counts.push({ jobs: current.added, ms: Math.min(current.elapsedMs, 60_000) });
  }
  const arrivals = recentRate(counts);
  const busy = minutes.filter(
    (minute, index) =>
      (minute.backlog ?? 0) > 0 &&
      (minutes[index - 1]?.backlog ?? 0) > 0 &&
      minute.at - (minutes[index - 1]?.at ?? 0) === 60_000,
  );
  const served = recentRate(
    busy.map((minute) => ({ jobs: minute.completed + minute.failed, ms: 60_000 })),
  );
  const meanMs = meanOf(mergeHistograms(minutes.map((minute) => minute.processing)));
  const serviceTime = meanMs === null ? null : Math.max(meanMs, 1) / 1000;
  const workers = latest?.workers ?? null;
  let serviceRate = served;
  if (serviceRate === null && serviceTime !== null && workers !== null) {
    serviceRate = (workers * concurrency) / serviceTime;
  }
  return {
    backlog: Math.max(0, latest?.backlog ?? 0),
    arrivalRate: arrivals ?? 0,
    serviceRate,
    workers,
    serviceTime,
  };
}
