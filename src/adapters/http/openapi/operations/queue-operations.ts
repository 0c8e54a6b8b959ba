import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { queueListSchema } from '../../schemas/queues.js';
import { jsonResponse } from '../responses.js';

/** `queue-routes.ts`. */
export const queueOperations: readonly RouteConfig[] = [
  {
    method: 'get',
    path: '/api/v1/queues',
    operationId: 'listQueues',
    tags: ['queues'],
    summary: 'Every watched queue with its counts and pause state (the cheap read)',
    responses: {
      200: jsonResponse(
        'The queues; one that could not be read has `counts: null` and an `error`.',
        queueListSchema,
      ),
    },
  },
];
