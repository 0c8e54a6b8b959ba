import { Router } from 'express';
import type { QueueListService } from '../../../application/queues/queue-list-service.js';

/** `GET /api/v1/queues`: every watched queue with its counts and pause state. */
export function queueRoutes(queueList: Pick<QueueListService, 'list'>): Router {
  const router = Router();
  router.get('/api/v1/queues', async (_request, response) => {
    response.set('Cache-Control', 'no-store').json(await queueList.list());
  });
  return router;
}
