import { Router } from 'express';
import type { HealthReportBody, LivenessBody } from '../../../application/contract/health.js';
import type { HealthService } from '../../../application/health/health-service.js';

/**
 * `GET /api/v1/health/queues`: 200 when healthy or degraded, 503 when unhealthy (for load
 * balancers and status pages). `GET /api/v1/health/report`: the same report, always 200 (for
 * dashboards: an unhealthy verdict is data to show, and browsers log every 5xx as an error).
 */
export function healthRoutes(health: Pick<HealthService, 'check'>): Router {
  const router = Router();
  // The service hands out the same report while it is fresh: it is serialized once, not once
  // per request (with thousands of queues, that text is megabytes).
  const serialized = new WeakMap<HealthReportBody, string>();
  const json = (report: HealthReportBody): string => {
    let text = serialized.get(report);
    if (text === undefined) {
      text = JSON.stringify(report);
      serialized.set(report, text);
    }
    return text;
  };
  router.get('/api/v1/health/queues', async (_request, response) => {
    const report = await health.check();
    response
      .status(report.status === 'unhealthy' ? 503 : 200)
      .set('Cache-Control', 'no-store')
      .type('json')
      .send(json(report));
  });
  router.get('/api/v1/health/report', async (_request, response) => {
    response
      .set('Cache-Control', 'no-store')
      .type('json')
      .send(json(await health.check()));
  });
  return router;
}

/** `GET /livez` (the process answers) and `GET /readyz` (Redis answers); both open, both cheap. */
export function probeRoutes(health: Pick<HealthService, 'readiness'>): Router {
  const router = Router();
  router.get('/livez', (_request, response) => {
    const body: LivenessBody = { live: true };
    response.set('Cache-Control', 'no-store').json(body);
  });
  router.get('/readyz', async (_request, response) => {
    const readiness = await health.readiness();
    response
      .status(readiness.ready ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json(readiness);
  });
  return router;
}
