import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import type { ConnectionOptions } from 'bullmq';
import type { RecentFailedJobsBody } from '../../src/application/contract/failed-jobs.js';
import type { HealthReportBody } from '../../src/application/contract/health.js';
import { getJson } from '../support/console-http.js';
import { paymentsQueue } from '../support/payments-queue.js';
import { startExpectingExit, startQueuewatchProcess } from '../support/queuewatch-process.js';
import { launchSentinelSet, type SentinelSet } from '../support/sentinel-harness.js';
import { makeTestCertificates, type TestCertificates } from '../support/tls-certificates.js';
import { waitFor } from '../support/wait-for.js';

describe('Queuewatch behind Sentinels that serve TLS (master, replica and three Sentinels, TLS only: real processes)', () => {
  let certificates: TestCertificates;
  let set: SentinelSet;
  const closers: (() => unknown)[] = [];

  before(async function () {
    this.timeout(60_000);
    certificates = await makeTestCertificates();
    set = await launchSentinelSet({ tls: certificates });
  });
  after(async () => {
    await set.dispose();
    await certificates.dispose();
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  /** The master's host is not used: the Sentinels name it. `rediss://`: the master serves TLS. */
  const url = 'rediss://sentinel-master:6379';

  it('should reach the Sentinels and the master over TLS with REDIS_SENTINEL_TLS, and record failures', async function () {
    this.timeout(60_000);
    const queuewatch = await startQueuewatchProcess({
      REDIS_URL: url,
      REDIS_SENTINELS: set.nodes,
      REDIS_SENTINEL_NAME: set.name,
      REDIS_SENTINEL_TLS: 'true',
      REDIS_TLS_CA_FILE: certificates.caFile,
      QUEUEWATCH_QUEUES: 'payments',
    });
    closers.push(() => queuewatch.stop());
    const ca = await readFile(certificates.caFile, 'utf8');
    const connection: ConnectionOptions = {
      sentinels: [...set.sentinels],
      name: set.name,
      tls: { ca },
      enableTLSForSentinelMode: true,
      sentinelTLS: { ca },
    };
    const queue = paymentsQueue(connection, closers);
    await queue.add('bad', {}, { jobId: 'over-tls' });
    const { body } = await waitFor(
      'the failure recorded',
      () => getJson<RecentFailedJobsBody>(queuewatch.url, '/api/v1/jobs/failed/recent?limit=10'),
      (answer) => answer.body.jobs.some((record) => record.jobId === 'over-tls'),
      20_000,
    );
    expect(body.jobs.find((record) => record.jobId === 'over-tls')).to.include({
      queueName: 'payments',
      failedReason: 'payment over-tls declined',
    });
    const health = await getJson<HealthReportBody>(queuewatch.url, '/api/v1/health/queues');
    expect(health.status).to.equal(200);
    expect(health.body.redis).to.deep.include({ status: 'healthy', connectionStatus: 'connected' });
  });

  it('should serve, with Redis unhealthy and not hanging, when the Sentinels serve TLS and REDIS_SENTINEL_TLS is not set', async function () {
    this.timeout(60_000);
    const queuewatch = await startQueuewatchProcess({
      REDIS_URL: url,
      REDIS_SENTINELS: set.nodes,
      REDIS_SENTINEL_NAME: set.name,
      REDIS_TLS_CA_FILE: certificates.caFile,
      QUEUEWATCH_QUEUES: 'payments',
    });
    closers.push(() => queuewatch.stop());
    const health = await getJson<HealthReportBody>(queuewatch.url, '/api/v1/health/queues');
    expect(health.status).to.equal(503);
    expect(health.body.redis.status).to.equal('unhealthy');
  });

  it('should ask the Sentinels over TLS at start: a master name they do not know exits 2, naming REDIS_SENTINEL_NAME', async function () {
    this.timeout(30_000);
    expect(
      await startExpectingExit({
        REDIS_URL: url,
        REDIS_SENTINELS: set.nodes,
        REDIS_SENTINEL_NAME: 'no-such-master',
        REDIS_SENTINEL_TLS: 'true',
        REDIS_TLS_CA_FILE: certificates.caFile,
      }),
    ).to.deep.equal({
      code: 2,
      stderr:
        'queuewatch: REDIS_SENTINEL_NAME: no Sentinel monitors a master named "no-such-master" (3 of 3 answered) (see docs/redis-setup.md)\n',
    });
  });
});
