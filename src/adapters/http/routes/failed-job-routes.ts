import { Router } from 'express';
import type { FailureStatsService } from '../../../application/dead-letters/failure-stats-service.js';
import { parseQuery } from '../query.js';
import { recentFailedQuerySchema } from '../schemas/failed-jobs.js';

/** `GET /api/v1/jobs/failed/stats` and `GET /api/v1/jobs/failed/recent?limit=20`. */
export function failedJobRoutes(stats: Pick<FailureStatsService, 'stats' | 'recent'>): Router {
  const router = Router();
  router.get('/api/v1/jobs/failed/stats', async (_request, response) => {
    response.set('Cache-Control', 'no-store').json(await stats.stats());
  });
  router.get('/api/v1/jobs/failed/recent', async (request, response) => {
    const query = parseQuery(recentFailedQuerySchema, request.query);
    response.set('Cache-Control', 'no-store').json(await stats.recent(query.limit));
  });
  return router;
}
