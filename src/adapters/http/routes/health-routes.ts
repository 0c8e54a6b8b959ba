import { createHash } from 'node:crypto';
import { Router, type Response } from 'express';
import type { HealthReportBody, LivenessBody } from '../../../application/contract/health.js';
import type { HealthService } from '../../../application/health/health-service.js';

/**
 * `GET /api/v1/health/queues`: 200 when healthy or degraded, 503 when unhealthy (for load
 * balancers and status pages). `GET /api/v1/health/report`: the same report, always 200 (for
 * dashboards: an unhealthy verdict is data to show, and browsers log every 5xx as an error).
 */
export function healthRoutes(health: Pick<HealthService, 'check'>): Router {
  const router = Router();
  // The service hands out the same report while it is fresh: it is serialized, encoded and tagged
  // once, not once per request (with thousands of queues, that body is megabytes, and Express
  // would otherwise encode it and hash it for its ETag on every request).
  const encoded = new WeakMap<HealthReportBody, EncodedBody>();
  const send = (response: Response, status: number, report: HealthReportBody): void => {
    let body = encoded.get(report);
    if (body === undefined) {
      body = encode(report);
      encoded.set(report, body);
    }
    // With its ETag set, Express answers a matching If-None-Match with 304 and hashes nothing.
    response
      .status(status)
      .set('Cache-Control', 'no-store')
      .set('ETag', body.etag)
      .type('json')
      .send(body.bytes);
  };
  router.get('/api/v1/health/queues', async (_request, response) => {
    const report = await health.check();
    send(response, report.status === 'unhealthy' ? 503 : 200, report);
  });
  router.get('/api/v1/health/report', async (_request, response) => {
    send(response, 200, await health.check());
  });
  return router;
}

/** A report as sent: its JSON encoded once, with a weak ETag of those bytes. */
interface EncodedBody {
  readonly bytes: Buffer;
  readonly etag: string;
}

function encode(report: HealthReportBody): EncodedBody {
  const bytes = Buffer.from(JSON.stringify(report));
  const digest = createHash('sha1').update(bytes).digest('base64url');
  return { bytes, etag: `W/"${bytes.length.toString(16)}-${digest}"` };
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
