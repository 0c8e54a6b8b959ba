import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { expect } from 'chai';
import { Queue, Worker } from 'bullmq';
import type { OpenAPIV3_1 } from 'openapi-types';
import { loadConfig } from '../../src/bootstrap/config/load-config.js';
import { resolve } from '../../src/bootstrap/provide.js';
import { startQueuewatch, type RunningQueuewatch } from '../../src/bootstrap/queuewatch.js';
import { TOKENS } from '../../src/bootstrap/tokens.js';
import { openApiPath, routesOf } from '../support/express-routes.js';
import { HttpReceiver } from '../support/http-receiver.js';
import {
  OpenApiConformance,
  type OperationKey,
  type ReceivedAnswer,
} from '../support/openapi-conformance.js';
import { paymentsQueue } from '../support/payments-queue.js';
import { rawRequest } from '../support/raw-http.js';
import { RecordingLogger } from '../support/recording-logger.js';
import { useRedisServer } from '../support/redis-harness.js';
import { waitFor } from '../support/wait-for.js';

const token = 'openapi-conformance-token-0123456789';
const webhookSecret = `whsec_${Buffer.from('queuewatch-openapi-signing-key-01234').toString('base64')}`;
const limits = { testAlerts: 3, jobSubmissions: 5 };
const json = { 'content-type': 'application/json' };

/** One request; the bearer token is sent unless `token` is `false`. */
interface Call {
  readonly method?: 'GET' | 'POST' | 'DELETE';
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly token?: false;
}

/** A request to make, the operation it is for, and the status it must get. */
interface Case {
  readonly operation: OperationKey;
  readonly status: number;
  readonly what: string;
  readonly send: () => Promise<ReceivedAnswer>;
}

/** For every operation, a request it answers with success while Redis answers. */
const examples: Record<string, Call> = {
  'GET /livez': { path: '/livez' },
  'GET /readyz': { path: '/readyz' },
  'GET /api/v1/health/queues': { path: '/api/v1/health/queues' },
  'GET /api/v1/health/report': { path: '/api/v1/health/report' },
  'GET /api/v1/queues': { path: '/api/v1/queues' },
  'GET /api/v1/queues/{queue}/jobs/{id}': { path: '/api/v1/queues/payments/jobs/paid' },
  'POST /api/v1/queues/{queue}/jobs': {
    method: 'POST',
    path: '/api/v1/queues/payments/jobs',
    headers: json,
    body: '{"name":"openapi","data":{"amount":1}}',
  },
  'GET /api/v1/jobs/failed/stats': { path: '/api/v1/jobs/failed/stats' },
  'GET /api/v1/jobs/failed/recent': { path: '/api/v1/jobs/failed/recent?limit=5' },
  'GET /api/v1/alerts': { path: '/api/v1/alerts?limit=5' },
  'POST /api/v1/alerts/test': { method: 'POST', path: '/api/v1/alerts/test', headers: json },
  'GET /metrics': { path: '/metrics' },
  'GET /api/v1/openapi.json': { path: '/api/v1/openapi.json' },
  'GET /api/v1/me': { path: '/api/v1/me' },
  'GET /api/v1/audit': { path: '/api/v1/audit?limit=20' },
  'POST /api/v1/queues/{queue}/jobs/{id}/retry': post(
    '/api/v1/queues/payments/jobs/declined/retry',
  ),
  'POST /api/v1/queues/{queue}/jobs/{id}/promote': post(
    '/api/v1/queues/payments/jobs/later/promote',
  ),
  'POST /api/v1/queues/{queue}/jobs/{id}/duplicate': post(
    '/api/v1/queues/payments/jobs/paid/duplicate',
  ),
  'DELETE /api/v1/queues/{queue}/jobs/{id}': {
    method: 'DELETE',
    path: '/api/v1/queues/payments/jobs/removable?children=false',
    headers: json,
  },
  'POST /api/v1/queues/{queue}/pause': post('/api/v1/queues/held/pause'),
  'POST /api/v1/queues/{queue}/resume': post('/api/v1/queues/held/resume'),
  'POST /api/v1/queues/{queue}/drain': post('/api/v1/queues/held/drain', '{"delayed":true}'),
  // Its record id is known once the job failed: set in `before`.
  'POST /api/v1/dead-letters/{recordId}/reenqueue': post('/api/v1/dead-letters/-/reenqueue'),
  'POST /api/v1/queues/{queue}/retry-all': post('/api/v1/queues/payments/retry-all', '{}'),
  'POST /api/v1/queues/{queue}/promote-all': post('/api/v1/queues/held/promote-all'),
  'POST /api/v1/queues/{queue}/clean': post(
    '/api/v1/queues/payments/clean',
    '{"state":"completed","graceMs":3600000}',
  ),
  // The id of an operation started in `before`.
  'GET /api/v1/operations/{id}': { path: '/api/v1/operations/-' },
  'POST /api/v1/operations/{id}/cancel': post('/api/v1/operations/-/cancel'),
};

/** A change with a JSON body (none by default). */
function post(path: string, body?: string): Call {
  return { method: 'POST', path, headers: json, ...(body === undefined ? {} : { body }) };
}

/** What each operation answers on success, when not 200. */
const successOf: Partial<Record<string, number>> = {
  'POST /api/v1/queues/{queue}/jobs': 201,
  'POST /api/v1/dead-letters/{recordId}/reenqueue': 201,
  'POST /api/v1/queues/{queue}/retry-all': 202,
  'POST /api/v1/queues/{queue}/promote-all': 202,
  'POST /api/v1/queues/{queue}/clean': 202,
};

const operations = Object.keys(examples) as OperationKey[];
const writes = operations.filter(
  (operation) => operation.startsWith('POST ') || operation.startsWith('DELETE '),
);
const limited: OperationKey[] = ['POST /api/v1/queues/{queue}/jobs', 'POST /api/v1/alerts/test'];
const open = new Set<OperationKey>(['GET /livez', 'GET /readyz']);

function example(operation: OperationKey): Call {
  const call = examples[operation];
  if (!call) throw new Error(`no example request for ${operation}`);
  return call;
}

describe('the OpenAPI document (real Queuewatch, real Redis, real HTTP)', () => {
  const redis = useRedisServer();
  const closers: (() => unknown)[] = [];
  let dir: string;
  let app: RunningQueuewatch;
  let conformance: OpenApiConformance;

  async function send(call: Call): Promise<ReceivedAnswer> {
    const answer = await rawRequest(`${app.url}${call.path}`, {
      method: call.method ?? 'GET',
      headers: {
        ...(call.token === false ? {} : { authorization: `Bearer ${token}` }),
        // Node sends a DELETE's body only with its length said.
        ...(call.body === undefined
          ? {}
          : { 'content-length': String(Buffer.byteLength(call.body)) }),
        ...call.headers,
      },
      body: call.body,
    });
    return {
      status: answer.status,
      header: (name) => {
        const value = answer.headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
      text: answer.text,
    };
  }

  /** Send `call` until it is refused for its rate (at most one more time than the limit). */
  async function untilLimited(call: Call): Promise<ReceivedAnswer> {
    for (let sent = 0; sent <= Math.max(limits.testAlerts, limits.jobSubmissions); sent += 1) {
      const answer = await send(call);
      if (answer.status === 429) return answer;
    }
    throw new Error(`${call.path} was never rate limited`);
  }

  const a = (operation: OperationKey, status: number, what: string, call: () => Call): Case => ({
    operation,
    status,
    what,
    send: () => send(call()),
  });
  const withCall = (operation: OperationKey, change: Partial<Call>): (() => Call) => {
    return () => ({ ...example(operation), ...change });
  };

  /** Every answer while Redis answers. */
  const answering: Case[] = [
    ...operations.map((operation) =>
      a(operation, successOf[operation] ?? 200, 'success', () => example(operation)),
    ),
    ...consoleCases(),
    a('GET /api/v1/queues/{queue}/jobs/{id}', 200, 'a failed job', () => ({
      path: '/api/v1/queues/payments/jobs/declined',
    })),
    a('GET /api/v1/queues/{queue}/jobs/{id}', 400, 'a queue name with a colon', () => ({
      path: '/api/v1/queues/pay:ments/jobs/paid',
    })),
    a('GET /api/v1/queues/{queue}/jobs/{id}', 400, 'an id over 256 characters', () => ({
      path: `/api/v1/queues/payments/jobs/${'x'.repeat(257)}`,
    })),
    a('GET /api/v1/queues/{queue}/jobs/{id}', 404, 'no such job', () => ({
      path: '/api/v1/queues/payments/jobs/nothing',
    })),
    a('GET /api/v1/queues/{queue}/jobs/{id}', 404, 'a queue not watched', () => ({
      path: '/api/v1/queues/elsewhere/jobs/paid',
    })),
    a(
      'POST /api/v1/queues/{queue}/jobs',
      400,
      'an empty name',
      withCall('POST /api/v1/queues/{queue}/jobs', { body: '{"name":""}' }),
    ),
    a(
      'POST /api/v1/queues/{queue}/jobs',
      404,
      'a queue not watched',
      withCall('POST /api/v1/queues/{queue}/jobs', { path: '/api/v1/queues/elsewhere/jobs' }),
    ),
    a('GET /api/v1/jobs/failed/recent', 400, 'limit 0', () => ({
      path: '/api/v1/jobs/failed/recent?limit=0',
    })),
    a('GET /api/v1/alerts', 400, 'limit not a number', () => ({
      path: '/api/v1/alerts?limit=many',
    })),
    ...operations.map((operation) =>
      a(
        operation,
        403,
        'a Host that is not a loopback name',
        withCall(operation, {
          headers: { ...example(operation).headers, host: 'rebound.example' },
        }),
      ),
    ),
    ...operations
      .filter((operation) => !open.has(operation))
      .map((operation) => a(operation, 401, 'no token', withCall(operation, { token: false }))),
    ...writes.flatMap((operation) => [
      a(
        operation,
        403,
        'a page of another origin',
        withCall(operation, { headers: { ...json, origin: 'https://elsewhere.example' } }),
      ),
      a(operation, 400, 'a body that is not JSON', withCall(operation, { body: '{"name":' })),
      a(
        operation,
        413,
        'a body over 100 kB',
        withCall(operation, { body: JSON.stringify({ name: 'big', data: 'x'.repeat(110_000) }) }),
      ),
      a(
        operation,
        415,
        'no JSON content type',
        withCall(operation, { headers: { 'content-type': 'text/plain' } }),
      ),
    ]),
    // Last: once refused, the client stays refused for the rest of the window.
    ...limited.map((operation): Case => ({
      operation,
      status: 429,
      what: 'over the rate limit',
      send: () => untilLimited(example(operation)),
    })),
  ];

  /** Every answer while Redis is away. */
  const away: Case[] = [
    a('GET /readyz', 503, 'Redis is away', () => example('GET /readyz')),
    a('GET /api/v1/health/queues', 503, 'an unhealthy report', () =>
      example('GET /api/v1/health/queues'),
    ),
    a('GET /api/v1/health/report', 200, 'an unhealthy report, figures null', () =>
      example('GET /api/v1/health/report'),
    ),
    a('GET /api/v1/queues', 200, 'a queue that cannot be read', () =>
      example('GET /api/v1/queues'),
    ),
    ...(
      [
        'GET /api/v1/queues/{queue}/jobs/{id}',
        'POST /api/v1/queues/{queue}/jobs',
        'GET /api/v1/jobs/failed/stats',
        'GET /api/v1/jobs/failed/recent',
        'GET /api/v1/alerts',
        'GET /api/v1/audit',
        'POST /api/v1/queues/{queue}/jobs/{id}/retry',
        'POST /api/v1/queues/{queue}/jobs/{id}/promote',
        'POST /api/v1/queues/{queue}/jobs/{id}/duplicate',
        'DELETE /api/v1/queues/{queue}/jobs/{id}',
        'POST /api/v1/queues/{queue}/pause',
        'POST /api/v1/queues/{queue}/resume',
        'POST /api/v1/queues/{queue}/drain',
        'POST /api/v1/dead-letters/{recordId}/reenqueue',
        'POST /api/v1/queues/{queue}/retry-all',
        'POST /api/v1/queues/{queue}/promote-all',
        'POST /api/v1/queues/{queue}/clean',
      ] as const
    ).map((operation) => a(operation, 503, 'Redis is away', () => example(operation))),
  ];

  /** The console's refusals: bad input, nothing there, a state that does not allow it. */
  function consoleCases(): Case[] {
    const retry = 'POST /api/v1/queues/{queue}/jobs/{id}/retry';
    const promote = 'POST /api/v1/queues/{queue}/jobs/{id}/promote';
    const duplicate = 'POST /api/v1/queues/{queue}/jobs/{id}/duplicate';
    const remove = 'DELETE /api/v1/queues/{queue}/jobs/{id}';
    const reenqueue = 'POST /api/v1/dead-letters/{recordId}/reenqueue';
    const operation = 'GET /api/v1/operations/{id}';
    const cancel = 'POST /api/v1/operations/{id}/cancel';
    const change = (key: OperationKey, status: number, what: string, path: string, body?: string) =>
      a(key, status, what, () => ({
        ...example(key),
        path,
        ...(body === undefined ? {} : { body }),
      }));
    return [
      a('GET /api/v1/audit', 400, 'limit 0', () => ({ path: '/api/v1/audit?limit=0' })),
      change(retry, 400, 'a queue name with a colon', '/api/v1/queues/pay:ments/jobs/x/retry'),
      change(retry, 404, 'no such job', '/api/v1/queues/payments/jobs/nothing/retry'),
      change(retry, 409, 'a delayed job', '/api/v1/queues/payments/jobs/waits/retry'),
      change(promote, 400, 'a queue name with a colon', '/api/v1/queues/pay:ments/jobs/x/promote'),
      change(promote, 404, 'no such job', '/api/v1/queues/payments/jobs/nothing/promote'),
      change(promote, 409, 'a completed job', '/api/v1/queues/payments/jobs/paid/promote'),
      change(
        duplicate,
        400,
        'an id over 256',
        `/api/v1/queues/payments/jobs/${'x'.repeat(257)}/duplicate`,
      ),
      change(duplicate, 404, 'no such job', '/api/v1/queues/payments/jobs/nothing/duplicate'),
      change(remove, 400, 'no children parameter', '/api/v1/queues/payments/jobs/waits'),
      change(remove, 404, 'no such job', '/api/v1/queues/payments/jobs/nothing?children=true'),
      change(remove, 409, 'an active job', '/api/v1/queues/held/jobs/busy?children=false'),
      ...(['pause', 'resume', 'drain', 'retry-all', 'promote-all', 'clean'] as const).flatMap(
        (verb) => {
          const key = `POST /api/v1/queues/{queue}/${verb}` as OperationKey;
          return [
            change(key, 400, 'a queue name with a colon', `/api/v1/queues/he:ld/${verb}`),
            change(key, 404, 'a queue not watched', `/api/v1/queues/elsewhere/${verb}`),
          ];
        },
      ),
      change(
        'POST /api/v1/queues/{queue}/drain',
        400,
        'an unknown field',
        '/api/v1/queues/held/drain',
        '{"all":true}',
      ),
      change(
        'POST /api/v1/queues/{queue}/clean',
        400,
        'a state it cannot clean',
        '/api/v1/queues/held/clean',
        '{"state":"active","graceMs":0}',
      ),
      change(
        reenqueue,
        400,
        'an id over 1024',
        `/api/v1/dead-letters/${'x'.repeat(1_025)}/reenqueue`,
      ),
      change(reenqueue, 404, 'no such record', '/api/v1/dead-letters/nothing/reenqueue'),
      a(reenqueue, 409, 'a job gone, its data cut short', () => ({
        ...example(reenqueue),
        path: `/api/v1/dead-letters/${encodeURIComponent(goneRecordId)}/reenqueue`,
      })),
      a(operation, 400, 'an id over 64', () => ({ path: `/api/v1/operations/${'x'.repeat(65)}` })),
      a(operation, 404, 'no such operation', () => ({ path: '/api/v1/operations/nothing' })),
      change(cancel, 400, 'an id over 64', `/api/v1/operations/${'x'.repeat(65)}/cancel`),
      change(cancel, 404, 'no such operation', '/api/v1/operations/nothing/cancel'),
    ];
  }

  let delivered: HttpReceiver;
  /** A dead-letter record whose job is gone and whose data preview is cut short. */
  let goneRecordId = '';
  let refusing: HttpReceiver;
  let payments: Queue;

  before(async function () {
    this.timeout(60_000);
    dir = await mkdtemp(join(tmpdir(), 'qw-openapi-'));
    delivered = await HttpReceiver.start();
    delivered.fallback = { status: 204 };
    refusing = await HttpReceiver.start();
    refusing.fallback = { status: 500, body: 'down for maintenance' };
    closers.push(
      () => delivered.stop(),
      () => refusing.stop(),
      () => rm(dir, { recursive: true, force: true }),
    );
    const configPath = join(dir, 'queuewatch.json');
    await writeFile(
      configPath,
      JSON.stringify({
        queues: [
          {
            name: 'payments',
            priority: 'high',
            failureThreshold: { count: 1, windowMs: 600_000, clearCount: 0 },
          },
        ],
        alerts: {
          delivery: { attempts: 1 },
          destinations: [
            {
              name: 'hooks',
              type: 'webhook',
              url: `${delivered.url}/alerts`,
              secret: webhookSecret,
            },
            { name: 'chat', type: 'slack', url: `${refusing.url}/services/T000/B000/XXXX` },
          ],
        },
      }),
    );
    app = await startQueuewatch(
      await loadConfig({
        REDIS_URL: redis().url,
        PORT: '0',
        QUEUEWATCH_QUEUES: 'payments,held',
        QUEUEWATCH_CONFIG: configPath,
        QUEUEWATCH_API_TOKEN: token,
        QUEUEWATCH_RATE_LIMIT_TEST_ALERTS: String(limits.testAlerts),
        QUEUEWATCH_RATE_LIMIT_JOB_SUBMISSIONS: String(limits.jobSubmissions),
        QUEUEWATCH_REDIS_TIMEOUT_MS: '500',
        QUEUEWATCH_HEALTH_CACHE_MS: '0',
      }),
      { logger: new RecordingLogger() },
    );
    closers.push(() => app.stop());
    payments = paymentsQueue(redis().url, closers);
    await payments.add('pay', { amount: 12 }, { jobId: 'paid' });
    await payments.add('bad', { amount: 13 }, { jobId: 'declined' });
    // Every body with something in it: a completed and a failed job, a dead-letter record, a
    // firing alert delivered to one destination and refused by the other.
    await waitFor(
      'the alert to be delivered to one destination and refused by the other',
      async () => JSON.parse((await send(example('GET /api/v1/alerts'))).text) as unknown,
      (body) =>
        JSON.stringify(body).includes('"state":"delivered"') &&
        JSON.stringify(body).includes('"state":"failed"'),
      20_000,
    );
    await waitFor(
      'the job "paid" to complete',
      async () => (await payments.getJobState('paid')) as string,
      (state) => state === 'completed',
    );
    await consoleSetUp();
    const served = await send(example('GET /api/v1/openapi.json'));
    conformance = new OpenApiConformance(JSON.parse(served.text) as OpenAPIV3_1.Document);
  });

  after(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  /**
   * What the console's examples act on: delayed jobs to promote, remove and refuse to retry; an
   * active job (`held`, whose worker never finishes); dead-letter records, one whose job is gone
   * with data too long to keep whole; an operation to read and cancel.
   */
  async function consoleSetUp(): Promise<void> {
    const hour = 3_600_000;
    await payments.add('pay', { amount: 1 }, { jobId: 'later', delay: hour });
    await payments.add('pay', { amount: 2 }, { jobId: 'waits', delay: hour });
    await payments.add('pay', { amount: 3 }, { jobId: 'removable', delay: hour });
    await payments.add('bad', { blob: 'x'.repeat(20_000) }, { jobId: 'huge' });
    const held = new Queue('held', { connection: { url: redis().url } });
    const holder = new Worker('held', () => new Promise(() => undefined), {
      connection: { url: redis().url },
    });
    closers.push(
      () => held.close(),
      () => holder.close(true),
    );
    await held.add('busy', {}, { jobId: 'busy' });
    await waitFor(
      'the held job to be active',
      () => held.getJobState('busy'),
      (s) => s === 'active',
    );
    const records = await waitFor(
      'dead-letter records of "declined" and "huge"',
      async () =>
        (
          JSON.parse((await send({ path: '/api/v1/jobs/failed/recent?limit=50' })).text) as {
            jobs: { id: string; jobId: string }[];
          }
        ).jobs,
      (jobs) => ['declined', 'huge'].every((id) => jobs.some((job) => job.jobId === id)),
    );
    await payments.remove('huge');
    goneRecordId = records.find((job) => job.jobId === 'huge')?.id ?? '';
    const declined = records.find((job) => job.jobId === 'declined')?.id ?? '';
    examples['POST /api/v1/dead-letters/{recordId}/reenqueue'] = post(
      `/api/v1/dead-letters/${encodeURIComponent(declined)}/reenqueue`,
    );
    const started = JSON.parse((await send(post('/api/v1/queues/held/promote-all'))).text) as {
      id: string;
    };
    examples['GET /api/v1/operations/{id}'] = { path: `/api/v1/operations/${started.id}` };
    examples['POST /api/v1/operations/{id}/cancel'] = post(
      `/api/v1/operations/${started.id}/cancel`,
    );
  }

  it('should be a valid OpenAPI 3.1 document', async () => {
    const checked = await SwaggerParser.validate(structuredClone(conformance.document));
    expect(checked).to.have.property('openapi', '3.1.0');
  });

  it('should have an operation for every route of the app, and none for another', () => {
    const routes = routesOf(resolve(app.container, TOKENS.HttpApp));
    // The dashboard's pages: every GET that is not the server's own path, not an API operation.
    expect(routes.filter((route) => route.isPattern)).to.deep.equal([
      { method: 'GET', path: '/.*/', isPattern: true },
    ]);
    const routed = routes
      .filter((route) => !route.isPattern)
      .map((route) => `${route.method} ${openApiPath(route.path)}`);
    expect([...routed].sort()).to.deep.equal([...conformance.operations()].sort());
  });

  it('should list only answers a case below gets, and a case for every answer it lists', () => {
    const listed = conformance
      .operations()
      .flatMap((operation) =>
        conformance.statuses(operation).map((status) => `${operation} → ${status}`),
      );
    const cased = [...answering, ...away].map((each) => `${each.operation} → ${each.status}`);
    expect([...new Set(cased)].sort()).to.deep.equal([...listed].sort());
    expect(Object.keys(examples).sort()).to.deep.equal([...conformance.operations()].sort());
  });

  describe('while Redis answers', () => {
    for (const each of answering) {
      it(`${each.operation} → ${String(each.status)}: ${each.what}`, async () => {
        const answer = await each.send();
        expect(answer.status, answer.text.slice(0, 500)).to.equal(each.status);
        conformance.check(each.operation, answer);
      });
    }
  });

  describe('while Redis is away', () => {
    before(async () => {
      await redis().stop();
    });
    after(async function () {
      this.timeout(30_000);
      await redis().start();
      await waitFor(
        'Queuewatch to be ready again',
        () => send(example('GET /readyz')),
        (answer) => answer.status === 200,
        20_000,
      );
    });

    for (const each of away) {
      it(`${each.operation} → ${String(each.status)}: ${each.what}`, async () => {
        const answer = await each.send();
        expect(answer.status, answer.text.slice(0, 500)).to.equal(each.status);
        conformance.check(each.operation, answer);
      });
    }
  });
});
