import { Queue } from 'bullmq';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import type { SchedulersBody } from '../../src/application/contract/console.js';
import { expectError, getJson } from '../support/console-http.js';
import { useInProcessQueuewatch } from '../support/in-process-queuewatch.js';
import { useRedisServer } from '../support/redis-harness.js';
import { waitFor } from '../support/wait-for.js';

describe('schedulers and repeatable jobs (real Redis, real workers, real HTTP)', () => {
  const redis = useRedisServer();
  const harness = useInProcessQueuewatch(redis, { QUEUEWATCH_QUEUES: 'reports,idle' });
  let admin: Redis;

  beforeEach(async () => {
    admin = new Redis(redis().url);
    await admin.flushall();
    harness.closers.push(() => {
      admin.disconnect();
    });
  });

  it('should list each scheduler with its pattern or interval, next run, iterations and last job', async function () {
    this.timeout(30_000);
    const app = await harness.start();
    const reports = harness.queue('reports', () => Promise.resolve('done'));
    await reports.upsertJobScheduler(
      'nightly',
      { pattern: '0 3 * * *', tz: 'Europe/Paris' },
      { name: 'build-report', data: { kind: 'nightly' } },
    );
    await reports.upsertJobScheduler('pulse', { every: 1_000 }, { name: 'pulse' });
    // The worker runs the pulse's jobs: wait until it has added a few.
    await waitFor(
      'the pulse to run twice',
      async () => (await reports.getJobScheduler('pulse'))?.iterationCount ?? 0,
      (count) => count >= 2,
    );
    const { status, body } = await getJson<SchedulersBody>(
      app.url,
      '/api/v1/queues/reports/schedulers',
    );
    expect(status).to.equal(200);
    expect(body.queueName).to.equal('reports');
    const byId = new Map(body.schedulers.map((each) => [each.id, each]));
    const nightly = byId.get('nightly');
    const pulse = byId.get('pulse');
    expect(nightly).to.include({
      name: 'build-report',
      pattern: '0 3 * * *',
      every: null,
      timezone: 'Europe/Paris',
      iterations: 1,
    });
    expect(nightly?.next).to.be.a('number').greaterThan(Date.now());
    expect(nightly?.lastJobId).to.equal(`repeat:nightly:${String(nightly?.next)}`);
    expect(await reports.getJobState(nightly?.lastJobId ?? '')).to.equal('delayed');
    expect(pulse).to.include({ name: 'pulse', pattern: null, every: 1_000, timezone: null });
    expect(pulse?.iterations).to.be.at.least(2);
    const next = body.schedulers.map((each) => each.next ?? 0);
    expect(next).to.deep.equal([...next].sort((a, b) => a - b));
  });

  it('should answer an empty list for a queue without schedulers, and 404 for one not watched', async function () {
    this.timeout(30_000);
    const app = await harness.start();
    const idle = new Queue('idle', { connection: { url: redis().url } });
    harness.closers.push(() => idle.close());
    await idle.add('x', {});
    const empty = await getJson<SchedulersBody>(app.url, '/api/v1/queues/idle/schedulers');
    expect(empty.body).to.deep.equal({ queueName: 'idle', schedulers: [] });
    await expectError(app.url, '/api/v1/queues/elsewhere/schedulers', 404, 'QW_NOT_FOUND');
    await expectError(app.url, '/api/v1/queues/a:b/schedulers', 400, 'QW_BAD_REQUEST');
  });
});
