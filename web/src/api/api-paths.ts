import { servedAt } from './mount-path.js';

const api = (path: string): string => `${servedAt.mountPath}/api/v1${path}`;
const queue = (name: string): string => api(`/queues/${encodeURIComponent(name)}`);
const jobOf = (name: string, id: string): string => `${queue(name)}/jobs/${encodeURIComponent(id)}`;

/** A query string of the parameters that have a value (`?a=1&b=x`), or nothing. */
export function queryOf(parameters: Readonly<Record<string, string | number | null | undefined>>) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(parameters)) {
    if (value !== null && value !== undefined && value !== '') query.set(key, String(value));
  }
  const text = query.toString();
  return text === '' ? '' : `?${text}`;
}

type Query = Readonly<Record<string, string | number | null | undefined>>;

/** The API's URLs, in one place, under the path the dashboard is mounted at. */
export const apiPaths = {
  /** The health report, always answered 200 (the verdict is in the body). */
  health: api('/health/report'),
  queues: api('/queues'),
  failedStats: api('/jobs/failed/stats'),
  recentFailures: (limit: number) => api(`/jobs/failed/recent?limit=${String(limit)}`),
  alerts: api('/alerts'),
  testAlert: api('/alerts/test'),
  /** The alerts firing now, per rule and queue. */
  firingAlerts: api('/alerts/firing'),
  /** GET the silences, POST a new one. */
  silences: api('/silences'),
  /** DELETE expires the silence now. */
  silence: (id: string) => api(`/silences/${encodeURIComponent(id)}`),
  submitJob: (name: string) => `${queue(name)}/jobs`,
  job: jobOf,
  /** A page of a state's jobs (`state`, `limit`, `order`, `cursor`). */
  jobPage: (name: string, query: Query) => `${queue(name)}/jobs${queryOf(query)}`,
  search: (name: string, query: Query) => `${queue(name)}/search${queryOf(query)}`,
  jobLocations: (id: string) => api(`/jobs${queryOf({ id })}`),
  jobDetails: (name: string, id: string) => `${jobOf(name, id)}/details`,
  jobLogs: (name: string, id: string, offset: number, limit: number) =>
    `${jobOf(name, id)}/logs${queryOf({ offset, limit })}`,
  /** `retry`, `promote`, `duplicate` (POST). */
  jobAction: (name: string, id: string, action: 'retry' | 'promote' | 'duplicate') =>
    `${jobOf(name, id)}/${action}`,
  /** DELETE; whether the children go too is always said. */
  removeJob: (name: string, id: string, children: boolean) =>
    `${jobOf(name, id)}${queryOf({ children: String(children) })}`,
  schedulers: (name: string) => `${queue(name)}/schedulers`,
  /** `retry-all`, `promote-all`, `clean`, `pause`, `resume`, `drain` (POST). */
  queueAction: (
    name: string,
    action: 'retry-all' | 'promote-all' | 'clean' | 'pause' | 'resume' | 'drain',
  ) => `${queue(name)}/${action}`,
  operation: (id: string) => api(`/operations/${encodeURIComponent(id)}`),
  cancelOperation: (id: string) => api(`/operations/${encodeURIComponent(id)}/cancel`),
  reenqueue: (recordId: string) => api(`/dead-letters/${encodeURIComponent(recordId)}/reenqueue`),
  me: api('/me'),
  audit: (limit: number) => api(`/audit${queryOf({ limit })}`),
} as const;
