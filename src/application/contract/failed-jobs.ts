import type { DeadLetterRecord, DeadLetterSummary } from '../ports/dead-letter-store.port.js';
import type { QueueFailureStats } from '../alerting/failure-rules.js';

/** The body of `GET /api/v1/jobs/failed/stats`. */
export interface FailedJobStatsBody {
  readonly deadLetterQueue: DeadLetterSummary;
  readonly monitoredQueues: readonly QueueFailureStats[];
}

/** The body of `GET /api/v1/jobs/failed/recent`: newest first. */
export interface RecentFailedJobsBody {
  readonly jobs: readonly DeadLetterRecord[];
}

export type { DeadLetterRecord, DeadLetterSummary, QueueFailureStats };
