/** A job's state as BullMQ names it, or `unknown` when it is in no state set (e.g. being moved). */
export type JobState =
  | 'waiting'
  | 'prioritized'
  | 'active'
  | 'delayed'
  | 'completed'
  | 'failed'
  | 'waiting-children'
  | 'unknown';

/** The body of `GET /api/v1/queues/:queue/jobs/:id`: the polling fallback of the gateway. */
export interface JobStatusBody {
  readonly id: string;
  readonly queueName: string;
  readonly name: string;
  readonly state: JobState;
  readonly progress: unknown;
  readonly attemptsMade: number;
  readonly failedReason: string | null;
  /** When processing started / the job finished (ms since the epoch), `null` until then. */
  readonly processedOn: number | null;
  readonly finishedOn: number | null;
  /** finishedOn − processedOn (ms) once finished. */
  readonly processingTime: number | null;
}

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
