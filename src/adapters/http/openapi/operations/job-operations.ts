import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { jobPathSchema, jobStatusSchema } from '../../schemas/jobs.js';
import { errorResponses, jsonResponse } from '../responses.js';

/** `job-routes.ts`. */
export const jobOperations: readonly RouteConfig[] = [
  {
    method: 'get',
    path: '/api/v1/queues/{queue}/jobs/{id}',
    operationId: 'getJob',
    tags: ['jobs'],
    summary: "One job's state, progress and timings: the polling fallback of the progress gateway",
    request: { params: jobPathSchema },
    responses: {
      200: jsonResponse('The job.', jobStatusSchema),
      ...errorResponses({
        badRequest: 'The queue name has a colon, or a name or id is longer than 256 characters.',
        notFound: 'Queuewatch does not watch the queue, or the queue has no such job.',
        redis: 'Redis did not answer in time, is away, or refused the command.',
      }),
    },
  },
];
