import type { FailedJobDetails } from '../../domain/job-events/job-event.js';
import type { JobCounts, QueueSnapshot } from '../../domain/queue-health/index.js';
import type { JobStatus } from '../queues/job-status.js';

/** One queue's reading, or why it could not be read. */
export type QueueReading<T> =
  | { readonly name: string; readonly ok: true; readonly value: T }
  | { readonly name: string; readonly ok: false; readonly reason: string };

/**
 * How much of a queue one health check reads: `deep` reads everything (counts and the samples
 * that only change when jobs move), `counts` only the counts, pause and error-rate window, `none`
 * nothing but the worker count (taken for every queue at once).
 */
export type InspectionDepth = 'deep' | 'counts' | 'none';

/** What to read of one queue for a health snapshot. */
export interface QueueInspectionRequest {
  readonly name: string;
  readonly depth: InspectionDepth;
  /** Count finished jobs from this time on (ms epoch). */
  readonly finishedSince: number;
  /** An active job that started processing at or before this time (ms epoch) is stale. */
  readonly staleStartedBy: number;
  /**
   * A deep read also reads the latest completed jobs' processing times; `false` when they are
   * already kept from completion events (the sample then comes back empty).
   */
  readonly processingTimes: boolean;
}

/** Bounds on the per-queue samples, so the cost does not grow with the jobs kept. */
export interface QueueSampleSizes {
  /** At most how many of the oldest active jobs to check for staleness. */
  readonly activeJobs: number;
  /** How many of the latest completed jobs to average the processing time over. */
  readonly completedJobs: number;
}

/** Counts, pause state and the error-rate window of one queue: what a `counts` read returns. */
export type QueueFigures = Pick<QueueSnapshot, 'counts' | 'isPaused' | 'finishedInWindow'>;

/** What only changes when jobs move: what a `deep` read adds. */
export type QueueSamples = Pick<
  QueueSnapshot,
  'activeStartedAt' | 'recentProcessingTimesMs' | 'lastFinishedAt'
>;

/** What one inspection read of a queue; `null` for the parts its depth left out. */
export interface QueueReadout {
  /** Connected workers; `null` when Redis does not allow listing clients. */
  readonly workerCount: number | null;
  readonly figures: QueueFigures | null;
  readonly samples: QueueSamples | null;
}

/** Counts and pause state: the cheap reading behind the queue list. */
export interface QueueCounts {
  readonly counts: JobCounts;
  readonly isPaused: boolean;
}

/** Reads queue state from wherever the queues live. */
export interface QueuePort {
  /** Read every requested queue to the depth asked, all at once. */
  inspect(
    requests: readonly QueueInspectionRequest[],
    samples: QueueSampleSizes,
  ): Promise<QueueReading<QueueReadout>[]>;
  /** Read counts and pause state of every named queue, all in parallel. */
  readCounts(names: readonly string[]): Promise<QueueReading<QueueCounts>[]>;
  /** A failed job's name, stack trace (last attempt first) and data as JSON text; `null` when gone. */
  readFailureDetails(queueName: string, jobId: string): Promise<FailedJobDetails | null>;
  /** One job's state and progress; `null` when the queue holds no such job. Throws when Redis fails. */
  readJob(queueName: string, jobId: string): Promise<JobStatus | null>;
}
