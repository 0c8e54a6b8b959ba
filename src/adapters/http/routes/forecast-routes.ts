import { Router } from 'express';
import type { ForecastService } from '../../../application/forecast/forecast-service.js';
import { ApiError } from '../api-error.js';
import { parseQuery } from '../query.js';
import { queuePathSchema } from '../schemas/jobs.js';

/** `GET /api/v1/queues/:queue/forecast` and `GET /api/v1/queues/:queue/scaling`. */
export function forecastRoutes(forecasts: Pick<ForecastService, 'forecast' | 'scaling'>): Router {
  const router = Router();
  const notWatched = (queue: string) =>
    new ApiError('QW_NOT_FOUND', `queue "${queue}" is not watched by Queuewatch`);
  router.get('/api/v1/queues/:queue/forecast', async (request, response) => {
    const { queue } = parseQuery(queuePathSchema, request.params);
    const body = await forecasts.forecast(queue);
    if (!body) throw notWatched(queue);
    response.set('Cache-Control', 'no-store').json(body);
  });
  router.get('/api/v1/queues/:queue/scaling', async (request, response) => {
    const { queue } = parseQuery(queuePathSchema, request.params);
    const body = await forecasts.scaling(queue);
    if (!body) throw notWatched(queue);
    response.set('Cache-Control', 'no-store').json(body);
  });
  return router;
}
