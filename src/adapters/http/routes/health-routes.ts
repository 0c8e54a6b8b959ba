import { createHash } from 'node:crypto';
import { setImmediate as afterIo } from 'node:timers/promises';
import { constants as zlibConstants, gzipSync } from 'node:zlib';
import { Router, type Request, type Response } from 'express';
import type {
  HealthReportBody,
  LivenessBody,
  QueueHealthBody,
} from '../../../application/contract/health.js';
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
  // Gzipped once per report too, for the clients that accept it: a browser always does. Reports
  // are gzipped as soon as they are read once a client has asked for gzip, so a steady poller
  // never waits for it.
  const gzipped = new WeakMap<EncodedBody, Buffer>();
  const gzippedBody = (body: EncodedBody): Buffer => {
    let zipped = gzipped.get(body);
    if (zipped === undefined) {
      zipped = gzipBytes(body.bytes);
      gzipped.set(body, zipped);
    }
    return zipped;
  };
  let gzipAsked = false;
  health.prepareWith(async (report) => {
    const body = await encodedBody(report);
    if (gzipAsked && body.bytes.length >= minGzipBytes) gzippedBody(body);
  });
  const send = async (
    request: Request,
    response: Response,
    status: number,
    report: HealthReportBody,
  ) => {
    const body = await encodedBody(report);
    const zip =
      body.bytes.length >= minGzipBytes && request.acceptsEncodings('gzip', 'identity') === 'gzip';
    if (zip) gzipAsked = true;
    const bytes = zip ? gzippedBody(body) : body.bytes;
    // With its ETag set, Express answers a matching If-None-Match with 304 and hashes nothing.
    // One weak ETag for both encodings: they are the same report.
    response
      .status(status)
      .set('Cache-Control', 'no-store')
      .set('Vary', 'Accept-Encoding')
      .set('ETag', body.etag)
      .type('json');
    if (zip) response.set('Content-Encoding', 'gzip');
    response.send(bytes);
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

/** A report as sent: its JSON encoded once, with a weak ETag of those bytes. */
interface EncodedBody {
  readonly bytes: Buffer;
  readonly etag: string;
}

/** Reports smaller than this go as they are: gzip would save little. */
const minGzipBytes = 1_024;

/**
 * A report's bytes gzipped at zlib's fastest level, here on the event loop: at 10,000 queues,
 * 4.7 MB become 37 KB in about 3.5 ms, once per report, where the default level takes twice as
 * long for 0.2 % less. Done in libuv's thread pool instead, it would share those 4 threads with
 * file system work and DNS lookups for no gain at this size.
 */
export function gzipBytes(bytes: Buffer): Buffer {
  return gzipSync(bytes, { level: zlibConstants.Z_BEST_SPEED });
}

/** Queues encoded between two turns of the event loop. */
const queuesPerTurn = 500;

/**
 * Each queue's JSON, made once per queue entry: a queue whose verdict did not change is the same
 * object in the next report (the health service keeps it), so with thousands of quiet queues a
 * report encodes only the few that changed. Kept as strings, in V8's heap: thousands of small
 * Buffers made at different times would each hold on to the 8 KiB pool it was cut from.
 */
const queueJson = new WeakMap<QueueHealthBody, string>();

function jsonOf(queue: QueueHealthBody): string {
  let json = queueJson.get(queue);
  if (json === undefined) {
    json = JSON.stringify(queue);
    queueJson.set(queue, json);
  }
  return json;
}

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
      // The slice's queues, comma-separated, as one chunk.
      const slice = report.queues.slice(first, first + queuesPerTurn).map(jsonOf);
      add(`${first > 0 ? ',' : ''}${slice.join(',')}`);
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
