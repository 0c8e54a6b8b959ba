import { Router } from 'express';

/** `GET /metrics`: Prometheus's text format. */
export function metricsRoutes(registry: {
  metrics(): Promise<string>;
  readonly contentType: string;
}): Router {
  const router = Router();
  router.get('/metrics', async (_request, response) => {
    response.set('Content-Type', registry.contentType).send(await registry.metrics());
  });
  return router;
}
