import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { expect } from 'chai';
import type { Queue } from 'bullmq';
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
import {
  consoleAway,
  consoleExamples,
  consoleRefusals,
  consoleSuccess,
  setUpConsole,
  type Call,
  type ConsoleFixtures,
} from '../support/openapi-console-cases.js';
import { paymentsQueue } from '../support/payments-queue.js';
import { rawRequest } from '../support/raw-http.js';
import { RecordingLogger } from '../support/recording-logger.js';
import { useRedisServer } from '../support/redis-harness.js';
import { waitFor } from '../support/wait-for.js';

const token = 'openapi-conformance-token-0123456789';
const webhookSecret = `whsec_${Buffer.from('queuewatch-openapi-signing-key-01234').toString('base64')}`;
const limits = { testAlerts: 3, jobSubmissions: 5 };
const json = { 'content-type': 'application/json' };

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
  'GET /api/v1/queues/{queue}/jobs': { path: '/api/v1/queues/payments/jobs?state=failed' },
  'GET /api/v1/queues/{queue}/search': {
    path: '/api/v1/queues/payments/search?state=failed&name=bad',
  },
  'GET /api/v1/jobs': { path: '/api/v1/jobs?id=declined' },
  'GET /api/v1/queues/{queue}/jobs/{id}/details': {
    path: '/api/v1/queues/payments/jobs/declined/details',
  },
  'GET /api/v1/queues/{queue}/jobs/{id}/logs': { path: '/api/v1/queues/payments/jobs/paid/logs' },
  'GET /api/v1/queues/{queue}/schedulers': { path: '/api/v1/queues/payments/schedulers' },
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
  'GET /api/v1/alerts/firing': { path: '/api/v1/alerts/firing' },
  'GET /api/v1/silences': { path: '/api/v1/silences' },
  'POST /api/v1/silences': {
    method: 'POST',
    path: '/api/v1/silences',
    headers: json,
    body: JSON.stringify({
      matchers: [{ label: 'queue', op: '=', value: 'held' }],
      endsAt: '2099-01-01T00:00:00.000Z',
      comment: 'an example silence',
    }),
  },
  // The id is set once the before hook has created a silence to expire.
  'DELETE /api/v1/silences/{id}': { method: 'DELETE', path: '', headers: json },
  'GET /api/v1/history': { path: '/api/v1/history?range=1h' },
  'GET /api/v1/queues/{queue}/history': { path: '/api/v1/queues/payments/history?range=7d' },
  'GET /api/v1/queues/{queue}/forecast': { path: '/api/v1/queues/payments/forecast' },
  'GET /api/v1/queues/{queue}/scaling': { path: '/api/v1/queues/payments/scaling' },
  'GET /metrics': { path: '/metrics' },
  'GET /api/v1/openapi.json': { path: '/api/v1/openapi.json' },
  ...consoleExamples,
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

  const fixtures: ConsoleFixtures = { goneRecordId: '' };

  /** Every answer while Redis answers. */
  const answering: Case[] = [
    ...operations.map((operation) =>
      a(
        operation,
        operation === 'POST /api/v1/silences' ? 201 : (consoleSuccess[operation] ?? 200),
        'success',
        () => example(operation),
      ),
    ),
    a(
      'POST /api/v1/silences',
      400,
      'a silence that ends before it starts',
      withCall('POST /api/v1/silences', {
        body: JSON.stringify({
          matchers: [{ label: 'queue', op: '=', value: 'held' }],
          startsAt: '2099-01-02T00:00:00.000Z',
          endsAt: '2099-01-01T00:00:00.000Z',
          comment: 'backwards',
        }),
      }),
    ),
    a('DELETE /api/v1/silences/{id}', 404, 'no such silence', () => ({
      method: 'DELETE',
      path: '/api/v1/silences/nothing',
      headers: json,
    })),
    ...consoleRefusals(example, fixtures).map((each) =>
      a(each.operation, each.status, each.what, each.call),
    ),
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
    a('GET /api/v1/queues/{queue}/jobs', 400, 'no state', () => ({
      path: '/api/v1/queues/payments/jobs',
    })),
    a('GET /api/v1/queues/{queue}/jobs', 404, 'a queue not watched', () => ({
      path: '/api/v1/queues/elsewhere/jobs?state=failed',
    })),
    a('GET /api/v1/queues/{queue}/search', 400, 'nothing to search by', () => ({
      path: '/api/v1/queues/payments/search?state=failed',
    })),
    a('GET /api/v1/queues/{queue}/search', 404, 'a queue not watched', () => ({
      path: '/api/v1/queues/elsewhere/search?state=failed&name=bad',
    })),
    a('GET /api/v1/jobs', 400, 'no id', () => ({ path: '/api/v1/jobs' })),
    a('GET /api/v1/queues/{queue}/jobs/{id}/details', 400, 'an id over 256 characters', () => ({
      path: `/api/v1/queues/payments/jobs/${'x'.repeat(257)}/details`,
    })),
    a('GET /api/v1/queues/{queue}/jobs/{id}/details', 404, 'no such job', () => ({
      path: '/api/v1/queues/payments/jobs/nothing/details',
    })),
    a('GET /api/v1/queues/{queue}/jobs/{id}/logs', 400, 'limit 0', () => ({
      path: '/api/v1/queues/payments/jobs/paid/logs?limit=0',
    })),
    a('GET /api/v1/queues/{queue}/jobs/{id}/logs', 404, 'no such job', () => ({
      path: '/api/v1/queues/payments/jobs/nothing/logs',
    })),
    a('GET /api/v1/queues/{queue}/schedulers', 400, 'a queue name with a colon', () => ({
      path: '/api/v1/queues/pay:ments/schedulers',
    })),
    a('GET /api/v1/queues/{queue}/schedulers', 404, 'a queue not watched', () => ({
      path: '/api/v1/queues/elsewhere/schedulers',
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
    a('GET /api/v1/history', 400, 'a range not offered', () => ({
      path: '/api/v1/history?range=2w',
    })),
    a('GET /api/v1/queues/{queue}/history', 400, 'a range not offered', () => ({
      path: '/api/v1/queues/payments/history?range=1y',
    })),
    a('GET /api/v1/queues/{queue}/history', 404, 'a queue not watched', () => ({
      path: '/api/v1/queues/elsewhere/history',
    })),
    ...(['forecast', 'scaling'] as const).flatMap((what) => [
      a(`GET /api/v1/queues/{queue}/${what}`, 404, 'a queue not watched', () => ({
        path: `/api/v1/queues/elsewhere/${what}`,
      })),
      a(`GET /api/v1/queues/{queue}/${what}`, 400, 'a queue name with a colon', () => ({
        path: `/api/v1/queues/pay:ments/${what}`,
      })),
    ]),
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
        'GET /api/v1/queues/{queue}/jobs',
        'GET /api/v1/queues/{queue}/search',
        'GET /api/v1/jobs',
        'GET /api/v1/queues/{queue}/jobs/{id}/details',
        'GET /api/v1/queues/{queue}/jobs/{id}/logs',
        'GET /api/v1/queues/{queue}/schedulers',
        'POST /api/v1/queues/{queue}/jobs',
        'GET /api/v1/jobs/failed/stats',
        'GET /api/v1/jobs/failed/recent',
        'GET /api/v1/alerts',
        'GET /api/v1/alerts/firing',
        'GET /api/v1/silences',
        ...consoleAway,
        'GET /api/v1/history',
        'GET /api/v1/queues/{queue}/history',
        'GET /api/v1/queues/{queue}/forecast',
        'GET /api/v1/queues/{queue}/scaling',
      ] as const
    ).map((operation) => a(operation, 503, 'Redis is away', () => example(operation))),
  ];

  let delivered: HttpReceiver;
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
    const silence = JSON.parse((await send(example('POST /api/v1/silences'))).text) as {
      id: string;
    };
    examples['DELETE /api/v1/silences/{id}'] = {
      ...example('DELETE /api/v1/silences/{id}'),
      path: `/api/v1/silences/${silence.id}`,
    };
    payments = paymentsQueue(redis().url, closers);
    await payments.add('pay', { amount: 12 }, { jobId: 'paid' });
    await payments.add('bad', { amount: 13 }, { jobId: 'declined' });
    await payments.upsertJobScheduler('new-year', { pattern: '0 0 1 1 *', tz: 'UTC' });
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
    await setUpConsole({ send, payments, redisUrl: redis().url, closers, examples, fixtures });
    const served = await send(example('GET /api/v1/openapi.json'));
    conformance = new OpenApiConformance(JSON.parse(served.text) as OpenAPIV3_1.Document);
  });

  after(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

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
