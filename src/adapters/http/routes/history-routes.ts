import { Router } from 'express';
import type { HistoryService } from '../../../application/history/history-service.js';
import { ApiError } from '../api-error.js';
import { parseQuery } from '../query.js';
import { historyPathSchema, historyQuerySchema } from '../schemas/history.js';

/** `GET /api/v1/history?range=` and `GET /api/v1/queues/:queue/history?range=`. */
export function historyRoutes(
  history: Pick<HistoryService, 'queueHistory' | 'totalHistory'>,
): Router {
  const router = Router();
  router.get('/api/v1/history', async (request, response) => {
    const { range } = parseQuery(historyQuerySchema, request.query);
    response.set('Cache-Control', 'no-store').json(await history.totalHistory(range));
  });
  router.get('/api/v1/queues/:queue/history', async (request, response) => {
    const { queue } = parseQuery(historyPathSchema, request.params);
    const { range } = parseQuery(historyQuerySchema, request.query);
    const body = await history.queueHistory(queue, range);
    if (!body) throw new ApiError('QW_NOT_FOUND', `queue "${queue}" is not watched by Queuewatch`);
    response.set('Cache-Control', 'no-store').json(body);
  });
  return router;
}
