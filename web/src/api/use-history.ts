import useSWR from 'swr';
import type {
  HistoryBody,
  HistoryRange,
  QueueForecastBody,
} from '../../../src/application/contract/index.js';
import { servedAt } from './mount-path.js';
import type { HttpError } from './http-error.js';
import { getJson } from './request-json.js';

/** History gains a point a minute: read it again each minute (and on focus). */
export const historyRefreshMs = 60_000;

const api = (path: string): string => `${servedAt.mountPath}/api/v1${path}`;
const queuePath = (queue: string, what: string) =>
  api(`/queues/${encodeURIComponent(queue)}/${what}`);

/** Read a body, and refuse one of another shape (a proxy's page, another version's answer). */
function getChecked<T>(what: string, fits: (body: unknown) => boolean) {
  return async (url: string): Promise<T> => {
    const body = await getJson<unknown>(url);
    if (!fits(body)) throw new Error(`the server did not answer a ${what}`);
    return body as T;
  };
}

const isObject = (body: unknown): body is Record<string, unknown> =>
  typeof body === 'object' && body !== null;

const getHistory = getChecked<HistoryBody>(
  'history',
  (body) => isObject(body) && Array.isArray(body.points),
);
const getForecast = getChecked<QueueForecastBody>(
  'forecast',
  (body) => isObject(body) && isObject(body.drain) && isObject(body.recommendation),
);

/** One queue's history over a range. */
export const useQueueHistory = (queue: string, range: HistoryRange) =>
  useSWR<HistoryBody, HttpError | Error>(queuePath(queue, `history?range=${range}`), getHistory, {
    refreshInterval: historyRefreshMs,
  });

/** One queue's forecast: drain, predicted wait, workers needed. */
export const useQueueForecast = (queue: string) =>
  useSWR<QueueForecastBody, HttpError | Error>(queuePath(queue, 'forecast'), getForecast, {
    refreshInterval: historyRefreshMs,
  });
