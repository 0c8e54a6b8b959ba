import { servedAt } from './mount-path.js';

const api = (path: string): string => `${servedAt.mountPath}/api/v1${path}`;

/** The API's URLs, in one place, under the path the dashboard is mounted at. */
export const apiPaths = {
  /** The health report, always answered 200 (the verdict is in the body). */
  health: api('/health/report'),
  queues: api('/queues'),
  failedStats: api('/jobs/failed/stats'),
  recentFailures: (limit: number) => api(`/jobs/failed/recent?limit=${String(limit)}`),
  alerts: api('/alerts'),
  testAlert: api('/alerts/test'),
  submitJob: (queue: string) => api(`/queues/${encodeURIComponent(queue)}/jobs`),
  job: (queue: string, id: string) =>
    api(`/queues/${encodeURIComponent(queue)}/jobs/${encodeURIComponent(id)}`),
} as const;
