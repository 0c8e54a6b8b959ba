import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import type { AlertsBody } from '../../src/application/contract/alerts.js';
import type { HealthReportBody } from '../../src/application/contract/health.js';
import type { FailedJobStatsBody } from '../../src/application/contract/failed-jobs.js';
import type { RunningQueuewatch } from '../../src/bootstrap/queuewatch.js';
import type { Alert } from '../../src/domain/alerting/alert.js';
import { HttpReceiver } from '../support/http-receiver.js';
import { writePagerConfig } from '../support/pager-config.js';
import { useInProcessQueuewatch } from '../support/in-process-queuewatch.js';
import { paymentsQueue } from '../support/payments-queue.js';
import { useRedisServer } from '../support/redis-harness.js';
import { waitFor } from '../support/wait-for.js';

const failures = 50;

/**
 * Invariant: when Redis refuses writes (at `maxmemory` with `noeviction`), no failure and no
 * alert is lost or claimed as sent: Queuewatch keeps them, says so in health and stats, and once
 * Redis accepts writes again the dead-letter queue holds exactly one record per failed job and
 * the receiver gets the firing notice exactly once.
 */
describe('fault: Redis out of memory (real Redis at a tiny maxmemory)', () => {
  const redis = useRedisServer();
  const harness = useInProcessQueuewatch(redis, {
    QUEUEWATCH_QUEUES: 'payments',
    QUEUEWATCH_INSTANCE_ID: 'oom-test',
    QUEUEWATCH_HEALTH_CACHE_MS: '0',
  });
  let dir: string;
  let webhook: HttpReceiver;
  let admin: Redis;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'qw-fault-oom-'));
    webhook = await HttpReceiver.start();
    webhook.fallback = { status: 204 };
    admin = new Redis(redis().url);
    await admin.flushall();
  });
  afterEach(async () => {
    await admin.config('SET', 'maxmemory', '0');
    admin.disconnect();
    await webhook.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function get<T>(app: RunningQueuewatch, path: string): Promise<T> {
    return (await (await fetch(`${app.url}${path}`)).json()) as T;
  }

  it('should keep the failures and the alert while Redis refuses writes, report it, and write each exactly once after', async function () {
    this.timeout(90_000);
    const config = await writePagerConfig(dir, webhook.url, {
      failureThreshold: { count: 10, windowMs: 3_600_000 },
    });
    // Queuewatch reads the stream up to now, saves where it stopped, and stops.
    const first = await harness.start({ QUEUEWATCH_CONFIG: config });
    const queue = paymentsQueue(redis().url, harness.closers);
    await queue.add('good', {}, { jobId: 'warm-up' });
    await waitFor(
      'the warm-up job to be read',
      () => get<FailedJobStatsBody>(first, '/api/v1/jobs/failed/stats'),
      (body) => (body.monitoredQueues[0]?.window.completed ?? 0) === 1,
    );
    await first.stop();

    // While it is down, jobs fail; then Redis fills up and refuses every write.
    await queue.addBulk(
      Array.from({ length: failures }, (_, index) => ({
        name: 'bad',
        data: { index },
        opts: { jobId: `bad-${String(index)}` },
      })),
    );
    await waitFor(
      `${String(failures)} failed jobs`,
      () => queue.getJobCountByTypes('failed'),
      (count) => count === failures,
    );
    const used = Number(/used_memory:(\d+)/.exec(await admin.info('memory'))?.[1]);
    await admin.config('SET', 'maxmemory-policy', 'noeviction');
    await admin.config('SET', 'maxmemory', String(Math.floor(used / 2)));
    let refused: unknown;
    try {
      await admin.set('probe', '1');
    } catch (error) {
      refused = error;
    }
    expect(String(refused)).to.contain('OOM');

    const second = await harness.start({ QUEUEWATCH_CONFIG: config });
    const reported = await waitFor(
      'health to report the refused writes',
      async () => {
        const response = await fetch(`${second.url}/api/v1/health/queues`);
        return { status: response.status, body: (await response.json()) as HealthReportBody };
      },
      (reply) =>
        reply.body.redis.issues.some(
          (issue) => issue.code === 'REDIS_WRITES_REFUSED' && issue.measured === failures + 1,
        ),
      20_000,
    );
    expect(reported.status).to.equal(503);
    const pending = await get<FailedJobStatsBody>(second, '/api/v1/jobs/failed/stats');
    expect(pending.monitoredQueues[0]?.alert).to.deep.include({
      status: 'firing',
      incidentId: null,
      notification: 'pending',
    });
    expect(webhook.requests).to.have.length(0);

    await admin.config('SET', 'maxmemory', '0');
    const written = await waitFor(
      `${String(failures)} records and a queued notice`,
      () => get<FailedJobStatsBody>(second, '/api/v1/jobs/failed/stats'),
      (body) =>
        body.deadLetterQueue.size === failures &&
        body.monitoredQueues[0]?.alert.status === 'firing' &&
        body.monitoredQueues[0].alert.notification === 'queued',
      20_000,
    );
    expect(written.deadLetterQueue.size).to.equal(failures);
    await webhook.received(1);
    const healthy = await waitFor(
      'health to stop reporting refused writes',
      () => get<HealthReportBody>(second, '/api/v1/health/queues'),
      (body) => !body.redis.issues.some((issue) => issue.code === 'REDIS_WRITES_REFUSED'),
    );
    expect(healthy.redis.issues.map((issue) => issue.code)).to.not.include('REDIS_WRITES_REFUSED');
    const alert = (JSON.parse(webhook.requests[0]?.body ?? '{}') as { data: Alert }).data;
    expect(alert.status).to.equal('firing');
    // Decided at the 10th failure read, while Redis refused it: the figures of that moment.
    expect(alert.context.failureCount).to.equal(10);
    await waitFor(
      'the delivery to be recorded',
      async () => (await get<AlertsBody>(second, '/api/v1/alerts')).alerts,
      (alerts) => alerts[0]?.deliveries[0]?.state === 'delivered',
    );
    expect(webhook.requests).to.have.length(1);
    const recent = await get<{ jobs: { jobId: string }[] }>(
      second,
      '/api/v1/jobs/failed/recent?limit=1000',
    );
    expect(new Set(recent.jobs.map((record) => record.jobId)).size).to.equal(failures);
  });
});
