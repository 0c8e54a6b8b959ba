import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Redis } from 'ioredis';
import { createQueuewatch } from '../../src/index.js';
import { expect } from 'chai';
import type { ConnectionOptions } from 'bullmq';
import type { RecentFailedJobsBody } from '../../src/application/contract/failed-jobs.js';
import type { HealthReportBody } from '../../src/application/contract/health.js';
import { getJson } from '../support/console-http.js';
import { addFailingJobs, paymentsQueue } from '../support/payments-queue.js';
import { startExpectingExit, startQueuewatchProcess } from '../support/queuewatch-process.js';
import { launchSentinelSet, type SentinelSet } from '../support/sentinel-harness.js';
import { waitFor } from '../support/wait-for.js';

describe('Queuewatch behind Redis Sentinel (a master, a replica, three Sentinels: real processes)', () => {
  let set: SentinelSet;
  const closers: (() => unknown)[] = [];

  before(async function () {
    this.timeout(60_000);
    set = await launchSentinelSet();
  });
  after(async () => {
    await set.dispose();
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  /** The master's host in the URL is not used: the Sentinels name it. */
  const url = 'redis://sentinel-master:6379';

  it('should be embeddable behind the Sentinels (createQueuewatch with connection.sentinels)', async function () {
    this.timeout(30_000);
    const qw = await createQueuewatch({
      connection: { url, sentinels: { nodes: set.nodes.split(','), name: set.name } },
      queues: ['embedded'],
      logLevel: 'silent',
    });
    closers.push(() => qw.close());
    const app = express().use(qw.router);
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => server.close(resolve)));
    const base = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
    const connection: ConnectionOptions = { url, sentinels: [...set.sentinels], name: set.name };
    const queue = paymentsQueue(connection, closers, 'embedded');
    await queue.add('bad', {}, { jobId: 'embedded-1' });
    const { body } = await waitFor(
      'the failure recorded through the Sentinels',
      () => getJson<RecentFailedJobsBody>(base, '/api/v1/jobs/failed/recent?limit=10'),
      (answer) => answer.body.jobs.some((record) => record.jobId === 'embedded-1'),
      20_000,
    );
    expect(body.jobs.map((record) => record.queueName)).to.include('embedded');
    const health = await getJson<HealthReportBody>(base, '/api/v1/health/queues');
    expect(health.body.redis).to.deep.include({ status: 'healthy' });
    // Queuewatch is on the master the Sentinels name: the job is in that server.
    const master = new Redis(set.masterPort, '127.0.0.1');
    closers.push(() => {
      master.disconnect();
    });
    expect(await master.exists('bull:embedded:embedded-1')).to.equal(1);
  });

  it('should follow a failover without a restart: every failure after it recorded, the failover reported as a gap', async function () {
    this.timeout(120_000);
    const queuewatch = await startQueuewatchProcess({
      REDIS_URL: url,
      REDIS_SENTINELS: set.nodes,
      REDIS_SENTINEL_NAME: set.name,
      QUEUEWATCH_QUEUES: 'payments',
    });
    closers.push(() => queuewatch.stop());
    const connection: ConnectionOptions = { url, sentinels: [...set.sentinels], name: set.name };
    const queue = paymentsQueue(connection, closers);
    const recorded = async (): Promise<Set<string>> => {
      const { body } = await getJson<RecentFailedJobsBody>(
        queuewatch.url,
        '/api/v1/jobs/failed/recent?limit=100',
      );
      return new Set(body.jobs.map((record) => record.jobId));
    };
    await queue.addBulk(
      [1, 2, 3].map((n) => ({ name: 'bad', data: {}, opts: { jobId: `before-${String(n)}` } })),
    );
    // Read by id: the dead-letter records are shared with the other tests of this Redis.
    const before = [1, 2, 3].map((n) => `before-${String(n)}`);
    await waitFor(
      'the failures before the failover',
      recorded,
      (ids) => before.every((jobId) => ids.has(jobId)),
      20_000,
    );

    const killedAt = performance.now();
    await set.killMaster();
    const failedOverAt = await set.failedOver(60_000);
    // The producer reconnects through the Sentinels too; an add refused meanwhile is sent again.
    const after = [1, 2, 3, 4, 5].map((n) => `after-${String(n)}`);
    await addFailingJobs(queue, after, 'the new master');
    await waitFor(
      'every failure after the failover in the dead-letter records',
      recorded,
      (ids) => after.every((jobId) => ids.has(jobId)),
      60_000,
    );
    const recoveredAt = performance.now();
    const health = await waitFor(
      'the failover reported as missed events',
      () => getJson<HealthReportBody>(queuewatch.url, '/api/v1/health/queues'),
      ({ body }) =>
        body.queues[0]?.issues.some(
          (issue) => issue.code === 'EVENTS_MISSED' && issue.message.includes('failed over'),
        ) === true,
      20_000,
    );
    expect(health.body.redis.connectionStatus).to.equal('connected');
    process.stderr.write(
      `      failover: Sentinels done ${String(Math.round(failedOverAt - killedAt))} ms after the master was killed; every later failure recorded ${String(Math.round(recoveredAt - failedOverAt))} ms after that\n`,
    );
  });

  it('should not start when no Sentinel knows the master name: exit 2, one line naming REDIS_SENTINEL_NAME', async function () {
    this.timeout(30_000);
    expect(
      await startExpectingExit({
        REDIS_URL: url,
        REDIS_SENTINELS: set.nodes,
        REDIS_SENTINEL_NAME: 'no-such-master',
      }),
    ).to.deep.equal({
      code: 2,
      stderr:
        'queuewatch: REDIS_SENTINEL_NAME: no Sentinel monitors a master named "no-such-master" (3 of 3 answered) (see docs/redis-setup.md)\n',
    });
  });
});
