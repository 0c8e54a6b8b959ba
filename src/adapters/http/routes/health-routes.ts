import { Router, type Request, type Response } from 'express';
import type { HealthReportBody, LivenessBody } from '../../../application/contract/health.js';
import type { HealthService } from '../../../application/health/health-service.js';
import { HealthBodyEncoder, type EncodedBody } from './health-body.js';

/**
 * `GET /api/v1/health/queues`: 200 when healthy or degraded, 503 when unhealthy (for load
 * balancers and status pages). `GET /api/v1/health/report`: the same report, always 200 (for
 * dashboards: an unhealthy verdict is data to show, and browsers log every 5xx as an error).
 */
export function healthRoutes(health: Pick<HealthService, 'check' | 'prepareWith'>): Router {
  const router = Router();
  // The service hands out the same report while it is fresh: it is serialized, encoded and tagged
  // once, not once per request (with thousands of queues, that body is megabytes, and Express
  // would otherwise encode it and hash it for its ETag on every request). A report is encoded
  // as soon as it is read, and only what changed since the last one (HealthBodyEncoder), so
  // neither a request nor the live events wait for megabytes to be encoded.
  const encoder = new HealthBodyEncoder();
  const encoded = new WeakMap<HealthReportBody, Promise<EncodedBody>>();
  const encodedBody = (report: HealthReportBody): Promise<EncodedBody> => {
    let body = encoded.get(report);
    if (body === undefined) {
      body = encoder.encode(report);
      encoded.set(report, body);
    }
    return body;
  };
  // Gzipped once per report too, for the clients that accept it (a browser always does), as soon
  // as it is read once a client has asked for gzip, so a steady poller never waits for it.
  let gzipAsked = false;
  health.prepareWith(async (report) => {
    const body = await encodedBody(report);
    if (gzipAsked && body.length >= minGzipBytes) body.gzipped();
  });
  const send = async (
    request: Request,
    response: Response,
    status: number,
    report: HealthReportBody,
  ) => {
    const body = await encodedBody(report);
    const zip =
      body.length >= minGzipBytes && request.acceptsEncodings('gzip', 'identity') === 'gzip';
    if (zip) gzipAsked = true;
    // One weak ETag for both encodings: they are the same report.
    response
      .status(status)
      .set('Cache-Control', 'no-store')
      .set('Vary', 'Accept-Encoding')
      .set('ETag', body.etag)
      .type('json');
    // As Express's send would: 304 to a client that has this report, no body to HEAD.
    if (request.fresh) {
      response.removeHeader('Content-Type');
      response.status(304).end();
      return;
    }
    if (zip) response.set('Content-Encoding', 'gzip');
    const chunks = zip ? [body.gzipped()] : body.chunks;
    response.set('Content-Length', String(zip ? (chunks[0]?.length ?? 0) : body.length));
    if (request.method !== 'HEAD') for (const chunk of chunks) response.write(chunk);
    response.end();
  };
  router.get('/api/v1/health/queues', async (request, response) => {
    const report = await health.check();
    await send(request, response, report.status === 'unhealthy' ? 503 : 200, report);
  });
  router.get('/api/v1/health/report', async (request, response) => {
    await send(request, response, 200, await health.check());
  });
  return router;
}

/** Reports smaller than this go as they are: gzip would save little. */
const minGzipBytes = 1_024;

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
