import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { historyPathSchema, historyQuerySchema, historySchema } from '../../schemas/history.js';
import { errorResponses, jsonResponse } from '../responses.js';

const redis = 'Redis did not answer in time, is away, or refused the command.';
const badRange = '`range` is not one of 1h, 24h, 7d, 30d.';

/** `history-routes.ts`. */
export const historyOperations: readonly RouteConfig[] = [
  {
    method: 'get',
    path: '/api/v1/history',
    operationId: 'getHistory',
    tags: ['history'],
    summary: 'Every watched queue added up, one point per minute or hour',
    request: { query: historyQuerySchema },
    responses: {
      200: jsonResponse('The series (empty points where nothing was kept).', historySchema),
      ...errorResponses({ badRequest: badRange, redis }),
    },
  },
  {
    method: 'get',
    path: '/api/v1/queues/{queue}/history',
    operationId: 'getQueueHistory',
    tags: ['history'],
    summary:
      "A queue's jobs added, completed, failed and retried, backlog, workers, wait and processing times",
    request: { params: historyPathSchema, query: historyQuerySchema },
    responses: {
      200: jsonResponse('The series (empty points where nothing was kept).', historySchema),
      ...errorResponses({ badRequest: badRange, notFound: 'The queue is not watched.', redis }),
    },
  },
];
