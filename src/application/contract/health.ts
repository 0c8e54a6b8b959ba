import type {
  HealthIssue,
  HealthStatus,
  HealthSummary,
  JobCounts,
  QueueDetails,
  RedisHealth,
} from '../../domain/queue-health/index.js';

/** `details` of one queue on the wire: timestamps as ISO-8601 text. */
export type QueueDetailsBody = Omit<QueueDetails, 'lastJobProcessedAt'> & {
  readonly lastJobProcessed: string | null;
};

/** One queue in `GET /api/v1/health/queues`. */
export interface QueueHealthBody {
  readonly queueName: string;
  readonly status: HealthStatus;
  /** `null` when the queue could not be read. */
  readonly stats: JobCounts | null;
  readonly details: QueueDetailsBody | null;
  readonly issues: readonly HealthIssue[];
}

/** The body of `GET /api/v1/health/queues`. */
export interface HealthReportBody {
  readonly status: HealthStatus;
  readonly timestamp: string;
  readonly redis: RedisHealth;
  readonly queues: readonly QueueHealthBody[];
  readonly summary: HealthSummary;
  readonly issues: readonly HealthIssue[];
}

/** The body of `GET /livez`. */
export interface LivenessBody {
  readonly live: true;
}

/** The body of `GET /readyz`. */
export interface ReadinessBody {
  readonly ready: boolean;
  readonly redis: RedisHealth['connectionStatus'];
}

export type { HealthIssue, HealthStatus, HealthSummary, JobCounts, RedisHealth };
