import type { JobCounts, QueueSnapshot } from '../../domain/queue-health/index.js';
import type { JobStatusBody } from '../contract/jobs.js';

/** One queue's reading, or why it could not be read. */
export type QueueReading<T> =
  | { readonly name: string; readonly ok: true; readonly value: T }
  | { readonly name: string; readonly ok: false; readonly reason: string };

/** What to read of one queue for a health snapshot. */
export interface QueueInspectionRequest {
  readonly name: string;
  /** Count finished jobs from this time on (ms epoch). */
  readonly finishedSince: number;
}

/** Bounds on the per-queue samples, so the cost does not grow with the jobs kept. */
export interface QueueSampleSizes {
  /** How many of the oldest active jobs to check for staleness. */
  readonly activeJobs: number;
  /** How many of the latest completed jobs to average the processing time over. */
  readonly completedJobs: number;
}

/** Counts and pause state: the cheap reading behind the queue list. */
export interface QueueCounts {
  readonly counts: JobCounts;
  readonly isPaused: boolean;
}

/** Reads queue state from wherever the queues live. */
export interface QueuePort {
  /** Read a health snapshot of every requested queue, all in parallel. */
  inspect(
    requests: readonly QueueInspectionRequest[],
    samples: QueueSampleSizes,
  ): Promise<QueueReading<QueueSnapshot>[]>;
  /** Read counts and pause state of every named queue, all in parallel. */
  readCounts(names: readonly string[]): Promise<QueueReading<QueueCounts>[]>;
  /** A failed job's name, stack trace (last attempt first) and data as JSON text; `null` when gone. */
  readFailureDetails(
    queueName: string,
    jobId: string,
  ): Promise<{ name: string | null; stacktrace: string[]; data: string | null } | null>;
  /** One job's state and progress; `null` when the queue holds no such job. Throws when Redis fails. */
  readJob(queueName: string, jobId: string): Promise<JobStatusBody | null>;
}
