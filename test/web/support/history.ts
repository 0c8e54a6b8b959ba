import type {
  HistoryBody,
  HistoryPointBody,
  QueueForecastBody,
} from '../../../src/application/contract/index.js';
import type { FakeAnswer, FakeRequest } from './fake-fetch.js';

/** A minute of history with what the test sets. */
export function point(at: string, changes: Partial<HistoryPointBody> = {}): HistoryPointBody {
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
    ...changes,
  };
}

export function historyOf(queueName: string, points: HistoryPointBody[]): HistoryBody {
  return { queueName, range: '1h', stepSeconds: 60, points };
}

export function forecastOf(
  queueName: string,
  changes: Partial<QueueForecastBody> = {},
): QueueForecastBody {
  return {
    queueName,
    at: '2026-11-30T12:00:00.000Z',
    backlog: 0,
    workers: 1,
    arrivalPerMinute: 0,
    servicePerMinute: null,
    meanProcessingSeconds: null,
    drain: { status: 'empty' },
    predictedWaitSeconds: 0,
    recommendation: {
      workers: 1,
      reason: 'wait-target',
      modelWorkers: 1,
      concurrency: 1,
      targetWaitSeconds: 30,
      minWorkers: 0,
      maxWorkers: 100,
    },
    ...changes,
  };
}

/**
 * Answers the history and forecast requests of a page with an empty history and an empty
 * backlog, so tests of other parts of the page need not know them; `null` for other requests.
 */
export function quietHistory(request: FakeRequest): FakeAnswer | null {
  const queue = /\/queues\/([^/]+)\/(history|forecast)/.exec(request.url);
  if (!queue?.[1]) return null;
  const name = decodeURIComponent(queue[1]);
  return {
    status: 200,
    body: queue[2] === 'history' ? historyOf(name, []) : forecastOf(name),
  };
}
