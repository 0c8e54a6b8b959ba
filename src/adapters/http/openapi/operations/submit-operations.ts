import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { queuePathSchema, submitJobRequestSchema, submitJobSchema } from '../../schemas/jobs.js';
import { errorResponses, jsonResponse } from '../responses.js';

/** `submit-routes.ts`. */
export const submitOperations: readonly RouteConfig[] = [
  {
    method: 'post',
    path: '/api/v1/queues/{queue}/jobs',
    operationId: 'submitJob',
    tags: ['jobs'],
    summary: "Add a job to a watched queue (the dashboard's Lab)",
    description:
      'Needs the operator role; audited. At most `QUEUEWATCH_RATE_LIMIT_JOB_SUBMISSIONS` (120) a window per client (its token, ' +
      'or its address without one).',
    request: {
      params: queuePathSchema,
      body: {
        required: true,
        content: { 'application/json': { schema: submitJobRequestSchema } },
      },
    },
    responses: {
      201: jsonResponse('The job was added.', submitJobSchema),
      ...errorResponses({
        badRequest:
          'The body is not JSON, has an unknown field, a `name` that is not 1-128 characters, or ' +
          '`data` over 16 KB; or the queue name has a colon or is over 256 characters.',
        forbiddenChange:
          'The token is a viewer (`QW_FORBIDDEN_ROLE`), Queuewatch is read-only (`QW_READ_ONLY`), ' +
          'or the request failed the Host or Origin guard.',
        notFound: 'Queuewatch does not watch the queue: only watched queues take jobs.',
        rateLimited: 'Too many submissions from this client in the window.',
        redis: 'Redis did not answer in time, is away, or refused the command.',
      }),
    },
  },
];
