import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import {
  jobListQuerySchema,
  jobLocationsSchema,
  jobLookupQuerySchema,
  jobPageSchema,
  jobSearchQuerySchema,
  jobSearchSchema,
} from '../../schemas/console-lists.js';
import {
  jobDetailSchema,
  jobLogsQuerySchema,
  jobLogsSchema,
  schedulersSchema,
} from '../../schemas/console-detail.js';
import { jobPathSchema, queuePathSchema } from '../../schemas/jobs.js';
import { errorResponses, jsonResponse } from '../responses.js';

const redis = 'Redis did not answer in time, is away, or refused the command.';
const unknownQueue = 'Queuewatch does not watch the queue.';
const unknownJob = 'Queuewatch does not watch the queue, or the queue has no such job.';

/** `console-read-routes.ts`. */
export const consoleReadOperations: readonly RouteConfig[] = [
  {
    method: 'get',
    path: '/api/v1/queues/{queue}/jobs',
    operationId: 'listJobs',
    tags: ['console'],
    summary: 'A page of the jobs of one state of a queue',
    description:
      'One page is read at one moment (one script call). Jobs that move between two pages can ' +
      'show on both or on neither: see docs/console.md.',
    request: { params: queuePathSchema, query: jobListQuerySchema },
    responses: {
      200: jsonResponse('The page.', jobPageSchema),
      ...errorResponses({
        badRequest:
          'A state that is not listable, a limit or page that is not a whole number in range, a ' +
          'cursor Queuewatch did not give (or for another state or order), or both cursor and page.',
        notFound: unknownQueue,
        redis,
      }),
    },
  },
  {
    method: 'get',
    path: '/api/v1/queues/{queue}/search',
    operationId: 'searchJobs',
    tags: ['console'],
    summary: 'Search one state of a queue by name or data: a bounded scan',
    description:
      'Reads the state in chunks of 200 jobs (one Redis call each), matches in Queuewatch as ' +
      'plain text, and stops at `scanLimit` jobs looked at, `limit` jobs found or about a ' +
      'second of scanning; `cursor` ' +
      'continues the scan.',
    request: { params: queuePathSchema, query: jobSearchQuerySchema },
    responses: {
      200: jsonResponse('What the scan found and how far it got.', jobSearchSchema),
      ...errorResponses({
        badRequest:
          'No name, data or path to search by; path without value; a text over 1,000 ' +
          'characters; a scanLimit or limit out of range; a cursor Queuewatch did not give.',
        notFound: unknownQueue,
        redis,
      }),
    },
  },
  {
    method: 'get',
    path: '/api/v1/jobs',
    operationId: 'findJobById',
    tags: ['console'],
    summary: 'Every watched queue holding a job of this id, and its state there',
    request: { query: jobLookupQuerySchema },
    responses: {
      200: jsonResponse('Where the job is (an empty list when nowhere).', jobLocationsSchema),
      ...errorResponses({ badRequest: 'No id, or an id over 256 characters.', redis }),
    },
  },
  {
    method: 'get',
    path: '/api/v1/queues/{queue}/jobs/{id}/details',
    operationId: 'getJobDetail',
    tags: ['console'],
    summary: 'Everything about one job: data, options, stack traces, flow, dead-letter records',
    request: { params: jobPathSchema },
    responses: {
      200: jsonResponse('The job.', jobDetailSchema),
      ...errorResponses({
        badRequest: 'The queue name has a colon, or a name or id is longer than 256 characters.',
        notFound: unknownJob,
        redis,
      }),
    },
  },
  {
    method: 'get',
    path: '/api/v1/queues/{queue}/jobs/{id}/logs',
    operationId: 'getJobLogs',
    tags: ['console'],
    summary: "A page of a job's log lines (`job.log()`)",
    request: { params: jobPathSchema, query: jobLogsQuerySchema },
    responses: {
      200: jsonResponse('The lines.', jobLogsSchema),
      ...errorResponses({
        badRequest: 'An offset or limit that is not a whole number in range; a bad queue or id.',
        notFound: unknownJob,
        redis,
      }),
    },
  },
  {
    method: 'get',
    path: '/api/v1/queues/{queue}/schedulers',
    operationId: 'listSchedulers',
    tags: ['console'],
    summary: "A queue's job schedulers and repeatable jobs, soonest first",
    request: { params: queuePathSchema },
    responses: {
      200: jsonResponse('The schedulers.', schedulersSchema),
      ...errorResponses({
        badRequest: 'The queue name has a colon or is longer than 256 characters.',
        notFound: unknownQueue,
        redis,
      }),
    },
  },
];
