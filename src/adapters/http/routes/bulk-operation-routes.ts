import { Router } from 'express';
import type { BulkOperations } from '../../../application/console/bulk-operations.js';
import { ApiError } from '../api-error.js';
import { callerOf } from '../caller-auth.js';
import { commandValue } from '../command-answer.js';
import {
  cleanRequestSchema,
  operationPathSchema,
  retryAllRequestSchema,
} from '../schemas/console-actions.js';
import { queuePathSchema } from '../schemas/jobs.js';
import { parseBody, parsePath } from './job-action-routes.js';

/**
 * Bulk actions, answered 202 with the operation at once and run on in chunks:
 * `POST /api/v1/queues/:queue/retry-all|promote-all|clean`; then
 * `GET /api/v1/operations/:id` and `POST /api/v1/operations/:id/cancel`.
 */
export function bulkOperationRoutes(operations: BulkOperations): Router {
  const router = Router();
  router.post('/api/v1/queues/:queue/retry-all', async (request, response) => {
    const { queue } = parsePath(queuePathSchema, request);
    const filter = parseBody(retryAllRequestSchema, request.body);
    const started = await operations.start(callerOf(response), queue, {
      action: 'retry-all',
      filter: {
        ...(filter.name === undefined ? {} : { name: filter.name }),
        ...(filter.reason === undefined ? {} : { reason: filter.reason }),
      },
    });
    response.status(202).set('Cache-Control', 'no-store').json(commandValue(started));
  });
  router.post('/api/v1/queues/:queue/promote-all', async (request, response) => {
    const { queue } = parsePath(queuePathSchema, request);
    const started = await operations.start(callerOf(response), queue, { action: 'promote-all' });
    response.status(202).set('Cache-Control', 'no-store').json(commandValue(started));
  });
  router.post('/api/v1/queues/:queue/clean', async (request, response) => {
    const { queue } = parsePath(queuePathSchema, request);
    const { state, graceMs } = parseBody(cleanRequestSchema, request.body);
    const started = await operations.start(callerOf(response), queue, {
      action: 'clean',
      state,
      graceMs,
    });
    response.status(202).set('Cache-Control', 'no-store').json(commandValue(started));
  });
  router.get('/api/v1/operations/:id', (request, response) => {
    const { id } = parsePath(operationPathSchema, request);
    const operation = operations.get(id);
    if (!operation) throw unknownOperation(id);
    response.set('Cache-Control', 'no-store').json(operation);
  });
  router.post('/api/v1/operations/:id/cancel', async (request, response) => {
    const { id } = parsePath(operationPathSchema, request);
    const cancelled = await operations.cancel(callerOf(response), id);
    if (!cancelled) throw unknownOperation(id);
    response.set('Cache-Control', 'no-store').json(commandValue(cancelled));
  });
  return router;
}

function unknownOperation(id: string): ApiError {
  return new ApiError(
    'QW_NOT_FOUND',
    `this instance runs no operation "${id}" (operations are kept in the memory of the instance that started them)`,
  );
}
