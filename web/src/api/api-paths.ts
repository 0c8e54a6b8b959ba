/** The API's URLs, in one place. */
export const apiPaths = {
  /** The health report, always answered 200 (the verdict is in the body). */
  health: '/api/v1/health/report',
  queues: '/api/v1/queues',
  failedStats: '/api/v1/jobs/failed/stats',
  recentFailures: (limit: number) => `/api/v1/jobs/failed/recent?limit=${String(limit)}`,
  alerts: '/api/v1/alerts',
  testAlert: '/api/v1/alerts/test',
  submitJob: (queue: string) => `/api/v1/queues/${encodeURIComponent(queue)}/jobs`,
  job: (queue: string, id: string) =>
    `/api/v1/queues/${encodeURIComponent(queue)}/jobs/${encodeURIComponent(id)}`,
} as const;
