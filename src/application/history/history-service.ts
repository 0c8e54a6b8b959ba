import {
  combineSamples,
  type HistoryPoint,
  type HistoryRange,
  type HistorySample,
  historyRanges,
  seriesOf,
  stepMs,
  stepsOf,
} from '../../domain/history/history-series.js';
import type { HistoryBody, HistoryPointBody } from '../contract/history.js';
import type { Clock } from '../ports/clock.port.js';
import type { HistoryStore } from '../ports/history-store.port.js';
import type { MonitoredQueues } from '../queues/monitored-queues.js';

/** Reads the series the dashboard charts and the API serves. */
export class HistoryService {
  constructor(
    private readonly store: Pick<HistoryStore, 'read'>,
    private readonly queues: Pick<MonitoredQueues, 'names' | 'get'>,
    private readonly clock: Clock,
  ) {}

  /** One queue's series; `null` when the queue is not watched. */
  async queueHistory(queueName: string, range: HistoryRange): Promise<HistoryBody | null> {
    if (!this.queues.get(queueName)) return null;
    const now = this.clock.now();
    const { step } = historyRanges[range];
    const samples = await this.store.read(queueName, step, stepsOf(range, now));
    return bodyOf(queueName, range, seriesOf(range, now, samples));
  }

  /** Every watched queue added up, step by step. */
  async totalHistory(range: HistoryRange): Promise<HistoryBody> {
    const now = this.clock.now();
    const { step } = historyRanges[range];
    const starts = stepsOf(range, now);
    const perQueue = await Promise.all(
      this.queues.names().map((name) => this.store.read(name, step, starts)),
    );
    const byStart = new Map<number, HistorySample[]>();
    for (const sample of perQueue.flat()) {
      byStart.set(sample.at, [...(byStart.get(sample.at) ?? []), sample]);
    }
    const combined = [...byStart].map(([at, samples]) => combineSamples(at, samples));
    return bodyOf(null, range, seriesOf(range, now, combined));
  }
}

function bodyOf(
  queueName: string | null,
  range: HistoryRange,
  points: readonly HistoryPoint[],
): HistoryBody {
  return {
    queueName,
    range,
    stepSeconds: stepMs[historyRanges[range].step] / 1000,
    points: points.map((point): HistoryPointBody => ({
      ...point,
      at: new Date(point.at).toISOString(),
    })),
  };
}
