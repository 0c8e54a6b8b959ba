import { Router, type RequestHandler } from 'express';
import type { AlertsService } from '../../../application/alerting/alerts-service.js';
import { parseQuery } from '../query.js';
import { noRateLimit } from '../rate-limit.js';
import { alertsQuerySchema } from '../schemas/alerts.js';

/** `GET /api/v1/alerts?limit=50` and `POST /api/v1/alerts/test` (behind `testLimit`). */
export function alertRoutes(
  alerts: Pick<AlertsService, 'recent' | 'sendTest'>,
  testLimit: RequestHandler = noRateLimit,
): Router {
  const router = Router();
  router.get('/api/v1/alerts', async (request, response) => {
    const query = parseQuery(alertsQuerySchema, request.query);
    response.set('Cache-Control', 'no-store').json(await alerts.recent(query.limit));
  });
  router.post('/api/v1/alerts/test', testLimit, async (_request, response) => {
    response.set('Cache-Control', 'no-store').json(await alerts.sendTest());
  });
  return router;
}
