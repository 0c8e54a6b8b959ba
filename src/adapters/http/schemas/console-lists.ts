import { z } from 'zod';
import type {
  JobLocationsBody,
  JobPageBody,
  JobSearchBody,
  JobSummary,
} from '../../../application/contract/console.js';
import { listableStates, maxCursorChars } from '../console-cursor.js';
import { describes } from './describes.js';
import { jobStatusSchema } from './jobs.js';
import { jsonValue } from './json-value.js';

/** A whole number in a query, from `min` to `max`, with a message that says so. */
export function wholeNumber(min: number, max: number) {
  const message = `expected a whole number from ${String(min)} to ${String(max)}`;
  return z.coerce.number({ error: message }).int(message).min(min, message).max(max, message);
}

const state = z.enum(listableStates, {
  error: `expected one of ${listableStates.join(', ')}`,
});
const order = z
  .enum(['newest', 'oldest'], { error: 'expected newest or oldest' })
  .default('newest')
  .meta({ description: 'Newest first (the default) or oldest first; see docs/console.md.' });
const cursor = z
  .string()
  .min(1, 'cursor must not be empty')
  .max(maxCursorChars, 'cursor: not a cursor Queuewatch gave')
  .optional()
  .meta({ description: 'Opaque: a `nextCursor` (or search `cursor`) from an earlier answer.' });
const pageLimit = wholeNumber(1, 100).default(50).meta({ description: 'Jobs per page: 1 to 100.' });

/** The query of `GET /api/v1/queues/{queue}/jobs`. */
export const jobListQuerySchema = z
  .object({
    state: state.meta({ description: 'The state to list.' }),
    limit: pageLimit,
    order,
    cursor,
    page: wholeNumber(1, 1_000_000).optional().meta({
      description: 'The page, from 1 (in place of `cursor`): jobs from (page − 1) × limit.',
    }),
  })
  .refine((query) => query.cursor === undefined || query.page === undefined, {
    error: 'give cursor or page, not both',
    path: ['page'],
  });

/** The most characters of a search's text. */
const maxSearchChars = 1_000;
const searchText = (what: string) =>
  z
    .string()
    .min(1, `${what} must not be empty`)
    .max(maxSearchChars, `${what} must be at most ${String(maxSearchChars)} characters`)
    .optional();

/** The query of `GET /api/v1/queues/{queue}/search`. */
export const jobSearchQuerySchema = z
  .object({
    state: state.meta({ description: 'The state to scan.' }),
    order,
    name: searchText('name').meta({ description: 'A piece of the job name, any case.' }),
    data: searchText('data').meta({
      description: 'A piece of the job data as stored (its JSON text), case as given.',
    }),
    path: searchText('path').meta({
      description: 'A dotted path in the JSON data (`customer.id`, `items.0.sku`); with `value`.',
    }),
    value: z
      .string()
      .max(maxSearchChars, `value must be at most ${String(maxSearchChars)} characters`)
      .optional()
      .meta({ description: 'The value at `path`: a string, or the JSON text of any other value.' }),
    cursor,
    scanLimit: wholeNumber(1, 100_000)
      .default(10_000)
      .meta({ description: 'Jobs to look at in this call at most: 1 to 100,000.' }),
    limit: wholeNumber(1, 100)
      .default(50)
      .meta({ description: 'Stop once this many jobs match: 1 to 100.' }),
  })
  .refine(
    (query) => query.name !== undefined || query.data !== undefined || query.path !== undefined,
    { error: 'give name, data or path (with value) to search by', path: ['name'] },
  )
  .refine((query) => (query.path === undefined) === (query.value === undefined), {
    error: 'path and value go together',
    path: ['value'],
  });

/** The query of `GET /api/v1/jobs`. */
export const jobLookupQuerySchema = z.object({
  id: z
    .string({ error: 'id is required' })
    .min(1, 'id must not be empty')
    .max(256, 'id must be at most 256 characters')
    .meta({ description: 'The job id, exactly.' }),
});

const jobState = jobStatusSchema.shape.state;
const time = z.number().nullable().meta({ description: 'ms since the epoch.' });
const duration = (description: string) => z.number().min(0).nullable().meta({ description });

/** A job list's row. */
export const jobSummarySchema = describes<JobSummary>()(
  z
    .object({
      id: z.string(),
      queueName: z.string(),
      name: z.string(),
      state: jobState,
      progress: jsonValue('What the job reported with `job.updateProgress()`.'),
      attemptsMade: z.number().int().min(0),
      attemptsAllowed: z.number().int().min(1).meta({ description: 'The `attempts` option.' }),
      createdAt: time,
      processedOn: time,
      finishedOn: time,
      waitTime: duration('From creation (or the end of its delay) to the start of processing.'),
      processingTime: duration('From the start of processing to the end.'),
      failedReason: z.string().nullable().meta({ description: 'At most 4,096 characters.' }),
    })
    .meta({ id: 'JobSummary', description: 'One row of a job list or a search.' }),
);

/** `GET /api/v1/queues/{queue}/jobs`. */
export const jobPageSchema = describes<JobPageBody>()(
  z
    .object({
      queueName: z.string(),
      state: z.enum(listableStates),
      order: z.enum(['newest', 'oldest']),
      jobs: z.array(jobSummarySchema),
      total: z.number().int().min(0).meta({ description: 'Jobs in the state when read.' }),
      nextCursor: z
        .string()
        .nullable()
        .meta({ description: 'Where the next page starts; `null` after the last page.' }),
    })
    .meta({ id: 'JobPage' }),
);

/** `GET /api/v1/queues/{queue}/search`. */
export const jobSearchSchema = describes<JobSearchBody>()(
  z
    .object({
      queueName: z.string(),
      state: z.enum(listableStates),
      jobs: z.array(jobSummarySchema),
      scanned: z.number().int().min(0).meta({ description: 'Jobs looked at by this call.' }),
      total: z.number().int().min(0).meta({ description: 'Jobs in the state when it began.' }),
      cursor: z.string().nullable().meta({
        description: 'Continue the scan from here; `null` once the whole state was scanned.',
      }),
    })
    .meta({ id: 'JobSearch' }),
);

/** `GET /api/v1/jobs?id=`. */
export const jobLocationsSchema = describes<JobLocationsBody>()(
  z
    .object({
      jobId: z.string(),
      found: z.array(z.object({ queueName: z.string(), state: jobState })),
    })
    .meta({ id: 'JobLocations', description: 'Every watched queue holding a job of this id.' }),
);
