/** The dashboard's own paths (under the router's basename, the mount path). */
export const pagePaths = {
  queue: (queueName: string) => `/queues/${encodeURIComponent(queueName)}`,
  job: (queueName: string, jobId: string) =>
    `/queues/${encodeURIComponent(queueName)}/jobs/${encodeURIComponent(jobId)}`,
  audit: '/audit',
} as const;
