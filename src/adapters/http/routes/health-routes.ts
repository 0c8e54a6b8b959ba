import { createHash } from 'node:crypto';
import { setImmediate as afterIo } from 'node:timers/promises';
import { Router, type Response } from 'express';
import type { HealthReportBody, LivenessBody } from '../../../application/contract/health.js';
import type { HealthService } from '../../../application/health/health-service.js';

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
  // as soon as it is read, a slice of queues per turn of the event loop, so neither a request
  // nor the live events wait for megabytes to be encoded in one go.
  const encoded = new WeakMap<HealthReportBody, Promise<EncodedBody>>();
  const encodedBody = (report: HealthReportBody): Promise<EncodedBody> => {
    let body = encoded.get(report);
    if (body === undefined) {
      body = encode(report);
      encoded.set(report, body);
    }
    return body;
  };
  health.prepareWith(async (report) => {
    await encodedBody(report);
  });
  const send = async (response: Response, status: number, report: HealthReportBody) => {
    const body = await encodedBody(report);
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
    await send(response, report.status === 'unhealthy' ? 503 : 200, report);
  });
  router.get('/api/v1/health/report', async (_request, response) => {
    await send(response, 200, await health.check());
  });
  return router;
}

/** A report as sent: its JSON encoded once, with a weak ETag of those bytes. */
interface EncodedBody {
  readonly bytes: Buffer;
  readonly etag: string;
}

/** Queues encoded between two turns of the event loop. */
const queuesPerTurn = 500;

/**
 * The report's JSON (the bytes `JSON.stringify` makes), its queues encoded a slice per turn of
 * the event loop, and hashed as they are encoded.
 */
export async function encode(report: HealthReportBody): Promise<EncodedBody> {
  const hash = createHash('sha1');
  const chunks: Buffer[] = [];
  const add = (text: string): void => {
    const chunk = Buffer.from(text);
    hash.update(chunk);
    chunks.push(chunk);
  };
  let head = '{';
  for (const [key, value] of Object.entries(report)) {
    if (value === undefined) continue;
    const name = `${head}${JSON.stringify(key)}:`;
    head = ',';
    if (key !== 'queues') {
      add(`${name}${JSON.stringify(value)}`);
      continue;
    }
    add(`${name}[`);
    for (let first = 0; first < report.queues.length; first += queuesPerTurn) {
      if (first > 0) await afterIo();
      // One array's JSON without its brackets: the slice's queues, comma-separated.
      const slice = JSON.stringify(report.queues.slice(first, first + queuesPerTurn));
      add(`${first > 0 ? ',' : ''}${slice.slice(1, -1)}`);
    }
    add(']');
  }
  add('}');
  const bytes = Buffer.concat(chunks);
  return { bytes, etag: `W/"${bytes.length.toString(16)}-${hash.digest('base64url')}"` };
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
