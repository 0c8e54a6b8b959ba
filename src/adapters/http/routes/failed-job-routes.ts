import { Router } from 'express';
import { z } from 'zod';
import type { FailureStatsService } from '../../../application/dead-letters/failure-stats-service.js';
import { parseQuery } from '../query.js';

const limit = (max: number, fallback: number) =>
  z.object({
    limit: z.coerce
      .number({ error: `expected a whole number from 1 to ${String(max)}` })
      .int(`expected a whole number from 1 to ${String(max)}`)
      .min(1, `expected a whole number from 1 to ${String(max)}`)
      .max(max, `expected a whole number from 1 to ${String(max)}`)
      .default(fallback),
  });

/** Query of `GET /api/v1/jobs/failed/recent`; exported for the alerts route's like rule. */
export const recentQuery = limit(1_000, 20);

/** `GET /api/v1/jobs/failed/stats` and `GET /api/v1/jobs/failed/recent?limit=20`. */
export function failedJobRoutes(stats: Pick<FailureStatsService, 'stats' | 'recent'>): Router {
  const router = Router();
  router.get('/api/v1/jobs/failed/stats', async (_request, response) => {
    response.set('Cache-Control', 'no-store').json(await stats.stats());
  });
  router.get('/api/v1/jobs/failed/recent', async (request, response) => {
    const query = parseQuery(recentQuery, request.query);
    response.set('Cache-Control', 'no-store').json(await stats.recent(query.limit));
  });
  return router;
}

export { limit as limitQuery };
