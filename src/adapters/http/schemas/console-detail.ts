import { z } from 'zod';
import type {
  FlowNode,
  JobDetailBody,
  JobLogsBody,
  JsonText,
  SchedulerItem,
  SchedulersBody,
} from '../../../application/contract/console.js';
import { describes } from './describes.js';
import { deadLetterRecordSchema } from './failed-jobs.js';
import { jobStatusSchema } from './jobs.js';
import { jobSummarySchema, wholeNumber } from './console-lists.js';

/** The query of `GET /api/v1/queues/{queue}/jobs/{id}/logs`. */
export const jobLogsQuerySchema = z.object({
  offset: wholeNumber(0, 1_000_000_000)
    .default(0)
    .meta({ description: 'The first line to send, from 0 (the oldest kept).' }),
  limit: wholeNumber(1, 1_000).default(100).meta({ description: 'Lines: 1 to 1,000.' }),
});

const jsonTextSchema = describes<JsonText>()(
  z
    .object({
      text: z.string().meta({ description: 'JSON text, or the raw text when it is not JSON.' }),
      bytes: z.number().int().min(0).meta({ description: 'Bytes of the whole text.' }),
      truncated: z.boolean().meta({ description: '`text` holds the first 64 KB only.' }),
    })
    .meta({ id: 'JsonText', description: "A job's JSON as text, cut at 64 KB." }),
);

const flowNodeSchema: z.ZodType<FlowNode> = z
  .object({
    queueName: z.string(),
    id: z.string(),
    name: z.string().nullable(),
    state: jobStatusSchema.shape.state,
    get children() {
      return z.array(flowNodeSchema).meta({ description: 'Not read beyond one level: empty.' });
    },
  })
  .meta({ id: 'FlowNode', description: 'A parent or child of a job (BullMQ flows).' });

/** `GET /api/v1/queues/{queue}/jobs/{id}/details`. */
export const jobDetailSchema = describes<JobDetailBody>()(
  jobSummarySchema
    .extend({
      failedReason: z.string().nullable().meta({ description: 'At most 65,536 characters.' }),
      data: jsonTextSchema,
      options: jsonTextSchema,
      returnValue: z.union([jsonTextSchema, z.null()]),
      stacktraces: z
        .array(z.string())
        .meta({ description: 'One stack trace per failed attempt, oldest first.' }),
      delay: z.number().min(0),
      priority: z.number(),
      logCount: z.number().int().min(0),
      parent: z.union([flowNodeSchema, z.null()]),
      children: z
        .array(flowNodeSchema)
        .meta({ description: 'The first 100 children (pending, processed, failed or ignored).' }),
      deadLetters: z
        .array(deadLetterRecordSchema)
        .meta({ description: "The job's dead-letter records, at most 50." }),
    })
    .meta({ id: 'JobDetail', description: 'Everything about one job.' }),
);

/** `GET /api/v1/queues/{queue}/jobs/{id}/logs`. */
export const jobLogsSchema = describes<JobLogsBody>()(
  z
    .object({
      lines: z.array(z.string()),
      offset: z.number().int().min(0),
      total: z.number().int().min(0).meta({ description: 'Lines the job keeps.' }),
    })
    .meta({ id: 'JobLogs' }),
);

const schedulerSchema = describes<SchedulerItem>()(
  z
    .object({
      id: z.string(),
      name: z.string().nullable(),
      pattern: z.string().nullable().meta({ description: 'A cron pattern.' }),
      every: z.number().nullable().meta({ description: 'Repeats every this many ms.' }),
      timezone: z.string().nullable(),
      next: z.number().nullable().meta({ description: 'Next run, ms since the epoch.' }),
      iterations: z.number().int().min(0).nullable(),
      lastJobId: z.string().nullable(),
    })
    .meta({ id: 'Scheduler', description: 'A job scheduler or legacy repeatable job.' }),
);

/** `GET /api/v1/queues/{queue}/schedulers`. */
export const schedulersSchema = describes<SchedulersBody>()(
  z
    .object({
      queueName: z.string(),
      schedulers: z.array(schedulerSchema).meta({ description: 'Soonest first, at most 1,000.' }),
    })
    .meta({ id: 'Schedulers' }),
);
