import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import { Cluster } from 'ioredis';
import type { RecentFailedJobsBody } from '../../src/application/contract/failed-jobs.js';
import type { HealthReportBody } from '../../src/application/contract/health.js';
import { getJson } from '../support/console-http.js';
import { paymentsQueue } from '../support/payments-queue.js';
import { startQueuewatchProcess } from '../support/queuewatch-process.js';
import { useRedisCluster } from '../support/redis-cluster.js';
import { makeTestCertificates, type TestCertificates } from '../support/tls-certificates.js';
import { eventOf, RecordingClient } from '../support/socket-clients.js';
import { waitFor } from '../support/wait-for.js';

/** Every queue under one hash tag, as BullMQ asks on a cluster. */
const prefix = '{bull}';
/** `rediss://`: every node serves TLS; the host is not used (the nodes are the seeds). */
const url = 'rediss://cluster-node:6379';

describe('Queuewatch on a Redis Cluster that serves TLS only (three masters, three replicas, TLS bus and replication: real processes)', () => {
  let certificates: TestCertificates | undefined;
  before(async () => {
    certificates = await makeTestCertificates();
  });
  after(async () => {
    await certificates?.dispose();
  });
  const cluster = useRedisCluster(() => {
    if (!certificates) throw new Error('the test certificates were not made');
    return {
      caFile: certificates.caFile,
      certFile: certificates.serverCertFile,
      keyFile: certificates.serverKeyFile,
    };
  });
  const closers: (() => unknown)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  it('should read the queues over TLS with REDIS_TLS_CA_FILE: progress delivered, failures recorded, Redis healthy', async function () {
    this.timeout(90_000);
    const caFile = certificates?.caFile ?? '';
    const queuewatch = await startQueuewatchProcess({
      REDIS_URL: url,
      REDIS_CLUSTER_NODES: cluster().seeds,
      REDIS_TLS_CA_FILE: caFile,
      QUEUEWATCH_PREFIX: prefix,
      QUEUEWATCH_QUEUES: 'payments',
    });
    closers.push(() => queuewatch.stop());
    const producer = new Cluster(cluster().seeds.split(','), {
      redisOptions: { tls: { ca: await readFile(caFile, 'utf8') }, maxRetriesPerRequest: null },
    });
    closers.push(() => {
      producer.disconnect();
    });
    const payments = paymentsQueue(producer, closers, 'payments', prefix);

    const socket = await RecordingClient.connect(queuewatch.url);
    closers.push(() => {
      socket.close();
    });
    expect(await socket.request('subscribe-to-job', { jobId: 'paid-over-tls' })).to.deep.include({
      ok: true,
    });
    await payments.add('ok', {}, { jobId: 'paid-over-tls' });
    await payments.add('bad', {}, { jobId: 'declined-over-tls' });
    const completed = await socket.next(eventOf('job-completed', 'paid-over-tls'), 20_000);
    expect(completed.payload).to.deep.include({ queueName: 'payments', jobId: 'paid-over-tls' });

    const { body } = await waitFor(
      'the failure recorded',
      () => getJson<RecentFailedJobsBody>(queuewatch.url, '/api/v1/jobs/failed/recent?limit=10'),
      (answer) => answer.body.jobs.some((record) => record.jobId === 'declined-over-tls'),
      20_000,
    );
    expect(body.jobs.find((record) => record.jobId === 'declined-over-tls')).to.include({
      queueName: 'payments',
      failedReason: 'payment declined-over-tls declined',
    });
    const health = await getJson<HealthReportBody>(queuewatch.url, '/api/v1/health/queues');
    expect(health.body.redis).to.deep.include({ status: 'healthy', connectionStatus: 'connected' });
    expect(health.body.queues.map((queue) => queue.queueName)).to.deep.equal(['payments']);
  });

  it('should not trust the nodes without their CA: Redis unhealthy, the process alive and serving', async function () {
    this.timeout(60_000);
    const queuewatch = await startQueuewatchProcess({
      REDIS_URL: url,
      REDIS_CLUSTER_NODES: cluster().seeds,
      QUEUEWATCH_PREFIX: prefix,
      QUEUEWATCH_QUEUES: 'payments',
    });
    closers.push(() => queuewatch.stop());
    // The reason names a node once the cluster client has given up on every one of them.
    const health = await waitFor(
      'Redis reported unreachable, naming the last node error',
      () => getJson<HealthReportBody>(queuewatch.url, '/api/v1/health/queues'),
      (answer) =>
        answer.body.redis.issues.some((issue) => issue.message.includes('Last node error')),
      20_000,
    );
    expect(health.status).to.equal(503);
    expect(health.body.redis.status).to.equal('unhealthy');
    expect(health.body.redis.issues[0]?.message).to.match(
      /^Redis is unreachable \(\w+\): no connection to Redis: Failed to refresh slots cache\. Last node error: .+ \(127\.0\.0\.1:\d+\)$/,
    );
  });
});
