import { z } from 'zod';
import type {
  JobStatusBody,
  SubmitJobBody,
  SubmitJobRequest,
} from '../../../application/contract/jobs.js';
import { describes } from './describes.js';
import { jsonValue } from './json-value.js';

/** The most job data the Lab may send, as JSON text. */
const maxDataBytes = 16 * 1024;

const queueName = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[^:]+$/, 'a queue name has no colon')
  .meta({ description: 'A watched queue.' });

/** The path of `/api/v1/queues/{queue}/jobs/{id}`. */
export const jobPathSchema = z.object({
  queue: queueName,
  id: z.string().min(1).max(256).meta({ description: 'The job id.' }),
});

/** The path of `POST /api/v1/queues/{queue}/jobs`. */
export const queuePathSchema = z.object({ queue: queueName });

/** `GET /api/v1/queues/{queue}/jobs/{id}`. */
export const jobStatusSchema = describes<JobStatusBody>()(
  z
    .object({
      id: z.string(),
      queueName: z.string(),
      name: z.string(),
      state: z.enum([
        'waiting',
        'prioritized',
        'active',
        'delayed',
        'completed',
        'failed',
        'waiting-children',
        'unknown',
      ]),
      progress: jsonValue(
        'What the job reported with `job.updateProgress()` (a number or an object).',
      ),
      attemptsMade: z.number().int().min(0),
      failedReason: z.string().nullable(),
      processedOn: z.number().nullable().meta({ description: 'ms since the epoch.' }),
      finishedOn: z.number().nullable().meta({ description: 'ms since the epoch.' }),
      processingTime: z
        .number()
        .nullable()
        .meta({ description: '`finishedOn − processedOn` (ms).' }),
    })
    .meta({ id: 'JobStatus', description: "A job's state, progress and timings." }),
);

/** The body of `POST /api/v1/queues/{queue}/jobs`; unknown fields are refused. */
export const submitJobRequestSchema = describes<SubmitJobRequest>()(
  z
    .strictObject({
      name: z
        .string({ error: 'name must be a string' })
        .min(1, 'name must not be empty')
        .max(128, 'name must be at most 128 characters'),
      data: z
        .unknown()
        .refine(
          (value) => JSON.stringify(value ?? {}).length <= maxDataBytes,
          `data must be at most ${String(maxDataBytes)} bytes of JSON`,
        )
        .optional()
        .meta({
          description: `Any JSON value, at most ${String(maxDataBytes)} bytes once encoded; \`{}\` when absent.`,
        }),
    })
    .meta({ id: 'SubmitJobRequest' }),
);

/** The 201 answer of `POST /api/v1/queues/{queue}/jobs`. */
export const submitJobSchema = describes<SubmitJobBody>()(
  z.object({ jobId: z.string(), queueName: z.string() }).meta({ id: 'SubmittedJob' }),
);
