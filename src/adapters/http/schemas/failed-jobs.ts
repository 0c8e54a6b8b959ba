import { z } from 'zod';
import type {
  DeadLetterRecord,
  FailedJobStatsBody,
  QueueFailureStats,
  RecentFailedJobsBody,
} from '../../../application/contract/failed-jobs.js';
import { describes } from './describes.js';
import { limitQuery } from './limit-query.js';

const count = z.number().int().min(0);
const rate = z.number().min(0).max(1);

/** The query of `GET /api/v1/jobs/failed/recent`. */
export const recentFailedQuerySchema = limitQuery(1_000, 20);

const queueFailureStatsSchema = describes<QueueFailureStats>()(
  z
    .object({
      queueName: z.string(),
      priority: z.string(),
      threshold: z.object({
        count: count.meta({ description: 'Failures in the window that fire the alert.' }),
        windowMs: count,
        clearCount: count.meta({ description: 'The alert resolves at this many or fewer.' }),
        rate: rate.nullable(),
        minVolume: count,
      }),
      window: z.object({
        windowMs: count,
        failed: count,
        completed: count,
        failureRate: rate.nullable(),
        successRate: rate.nullable(),
        rateCounts: z.boolean(),
        breached: z.boolean(),
        cleared: z.boolean(),
      }),
      alert: z.discriminatedUnion('status', [
        z.object({ status: z.literal('ok') }),
        z.object({
          status: z.literal('firing'),
          since: z.iso.datetime(),
          incidentId: z.string().nullable().meta({
            description: "The incident's id once its notice is queued; `null` while it waits.",
          }),
          notification: z.enum(['queued', 'pending']).meta({
            description: '`pending` while Redis refuses the notice (it is kept and retried).',
          }),
        }),
      ]),
      lastFailure: z
        .object({ jobId: z.string(), error: z.string(), at: z.iso.datetime() })
        .nullable(),
    })
    .meta({ id: 'QueueFailureStats', description: "One queue's failure window and alert state." }),
);

/** `GET /api/v1/jobs/failed/stats`. */
export const failedJobStatsSchema = describes<FailedJobStatsBody>()(
  z
    .object({
      deadLetterQueue: z.object({
        queueName: z.string(),
        size: count,
        oldestFailedAt: z.iso.datetime().nullable(),
        newestFailedAt: z.iso.datetime().nullable(),
      }),
      monitoredQueues: z.array(queueFailureStatsSchema),
    })
    .meta({ id: 'FailedJobStats' }),
);

/** One dead-letter record. */
export const deadLetterRecordSchema = describes<DeadLetterRecord>()(
  z
    .object({
      id: z.string(),
      queueName: z.string(),
      jobId: z.string(),
      jobName: z.string().nullable(),
      failedReason: z.string(),
      stacktrace: z.array(z.string()).meta({ description: 'The last lines of the stack trace.' }),
      attemptsMade: count.nullable(),
      willRetry: z.boolean(),
      failedAt: z.iso.datetime(),
      priority: z.string(),
      dataPreview: z.string().nullable().meta({
        description: "The start of the job's data as JSON text; `null` when the job is gone.",
      }),
    })
    .meta({ id: 'DeadLetterRecord', description: 'One failed attempt, kept for investigation.' }),
);

/** `GET /api/v1/jobs/failed/recent`. */
export const recentFailedJobsSchema = describes<RecentFailedJobsBody>()(
  z
    .object({ jobs: z.array(deadLetterRecordSchema).meta({ description: 'Newest first.' }) })
    .meta({ id: 'RecentFailedJobs' }),
);
