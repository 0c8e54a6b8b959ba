import { spawn } from 'node:child_process';
import { expect } from 'chai';
import type { ConnectionOptions } from 'bullmq';
import type { RecentFailedJobsBody } from '../../src/application/contract/failed-jobs.js';
import type { HealthReportBody } from '../../src/application/contract/health.js';
import { getJson } from '../support/console-http.js';
import { paymentsQueue } from '../support/payments-queue.js';
import { startQueuewatchProcess } from '../support/queuewatch-process.js';
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
    await waitFor('the failures before the failover', recorded, (ids) => ids.size === 3, 20_000);

    const killedAt = performance.now();
    await set.killMaster();
    const failedOverAt = await set.failedOver(60_000);
    // The producer reconnects through the Sentinels too; an add refused meanwhile is sent again.
    const after = [1, 2, 3, 4, 5].map((n) => `after-${String(n)}`);
    for (const jobId of after) {
      await waitFor(
        `${jobId} to be added on the new master`,
        () => queue.add('bad', {}, { jobId }),
        () => true,
        30_000,
      );
    }
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
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/bootstrap/main.ts'], {
      env: {
        PATH: process.env.PATH ?? '',
        PORT: '0',
        REDIS_URL: url,
        REDIS_SENTINELS: set.nodes,
        REDIS_SENTINEL_NAME: 'no-such-master',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect({ code, stderr }).to.deep.equal({
      code: 2,
      stderr:
        'queuewatch: REDIS_SENTINEL_NAME: no Sentinel monitors a master named "no-such-master" (3 of 3 answered) (see docs/redis-setup.md)\n',
    });
  });
});
