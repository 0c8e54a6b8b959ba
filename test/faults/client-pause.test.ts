import { expect } from 'chai';
import { Redis } from 'ioredis';
import type { ErrorBody } from '../../src/application/contract/errors.js';
import { useInProcessQueuewatch } from '../support/in-process-queuewatch.js';
import { paymentsQueue } from '../support/payments-queue.js';
import { useRedisServer } from '../support/redis-harness.js';
import { waitFor } from '../support/wait-for.js';

/** How long Redis holds every client: far beyond Queuewatch's timeout. */
const pauseMs = 10_000;

/**
 * Invariant: while Redis answers nobody (`CLIENT PAUSE … ALL`), every Redis-backed endpoint still
 * answers — 503 with a Redis code, or the health report saying so — while Redis is still paused,
 * i.e. without waiting for it; and everything works again after.
 */
describe('fault: Redis paused (CLIENT PAUSE ALL) (real Redis)', () => {
  const redis = useRedisServer();
  const harness = useInProcessQueuewatch(redis, {
    QUEUEWATCH_QUEUES: 'payments',
    QUEUEWATCH_REDIS_TIMEOUT_MS: '1000',
    QUEUEWATCH_HEALTH_CACHE_MS: '0',
  });

  it('should answer every Redis-backed endpoint with 503 and a Redis code before the pause ends', async function () {
    this.timeout(60_000);
    const app = await harness.start();
    const queue = paymentsQueue(redis().url, harness.closers);
    await queue.add('bad', {}, { jobId: 'declined' });
    await waitFor(
      'the failure to be recorded',
      async () => (await fetch(`${app.url}/api/v1/jobs/failed/recent`)).json(),
      (body) => (body as { jobs: unknown[] }).jobs.length === 1,
    );

    const admin = new Redis(redis().url);
    harness.closers.push(() => {
      admin.disconnect();
    });
    await admin.client('PAUSE', pauseMs, 'ALL');
    const pausedUntil = Date.now() + pauseMs;
    const json = { 'content-type': 'application/json' };
    const requests: [string, RequestInit?][] = [
      ['/api/v1/jobs/failed/stats'],
      ['/api/v1/jobs/failed/recent'],
      ['/api/v1/alerts'],
      ['/api/v1/queues/payments/jobs/declined'],
      ['/api/v1/queues/payments/jobs', { method: 'POST', headers: json, body: '{"name":"x"}' }],
    ];
    const answers = await Promise.all(
      requests.map(async ([path, init]) => {
        const response = await fetch(`${app.url}${path}`, init);
        return {
          path,
          status: response.status,
          retryAfter: response.headers.get('retry-after'),
          code: ((await response.json()) as Partial<ErrorBody>).error?.code ?? null,
          answeredWhilePaused: Date.now() < pausedUntil,
        };
      }),
    );
    for (const answer of answers) {
      expect(answer, answer.path).to.deep.include({ status: 503, answeredWhilePaused: true });
      expect(answer.code, answer.path).to.match(/^QW_REDIS_(TIMEOUT|UNAVAILABLE)$/);
      expect(answer.retryAfter, answer.path).to.equal('2');
    }
    // The queue list answers per queue: each one it could not read says why.
    const list = (await (await fetch(`${app.url}/api/v1/queues`)).json()) as {
      queues: { name: string; counts: unknown; error?: string }[];
    };
    expect(list.queues[0]).to.include({ name: 'payments', counts: null });
    expect(list.queues[0]?.error).to.be.a('string');
    const health = await fetch(`${app.url}/api/v1/health/queues`);
    const report = (await health.json()) as { redis: { issues: { code: string }[] } };
    expect(health.status).to.equal(503);
    expect(report.redis.issues.map((issue) => issue.code)).to.include('REDIS_UNREACHABLE');
    expect(Date.now()).to.be.below(pausedUntil);

    // Once Redis answers again, so does everything.
    await waitFor(
      'the API to answer again',
      async () => (await fetch(`${app.url}/api/v1/jobs/failed/stats`)).status,
      (status) => status === 200,
      pauseMs + 10_000,
    );
    expect((await fetch(`${app.url}/api/v1/queues/payments/jobs/declined`)).status).to.equal(200);
  });
});
