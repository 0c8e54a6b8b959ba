import type { JobStatus } from '../queues/job-status.js';

export type { JobState } from '../queues/job-status.js';

/**
 * The body of `GET /api/v1/queues/:queue/jobs/:id`: the polling fallback of the gateway. A job's
 * status without its return value (the console's detail shows that).
 */
export type JobStatusBody = Omit<JobStatus, 'returnValue'>;

/** The body of `POST /api/v1/queues/:queue/jobs` (the dashboard's Lab). */
export interface SubmitJobRequest {
  /** 1-128 characters. */
  readonly name: string;
  /** Any JSON value; at most 16 KB once encoded. Defaults to `{}`. */
  readonly data?: unknown;
}

/** The answer to `POST /api/v1/queues/:queue/jobs`: 201 with the new job's id. */
export interface SubmitJobBody {
  readonly jobId: string;
  readonly queueName: string;
}
