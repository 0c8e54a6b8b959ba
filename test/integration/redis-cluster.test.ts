import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import express from 'express';
import { Cluster, Redis } from 'ioredis';
import type { Queue } from 'bullmq';
import type {
  AuditBody,
  JobActionBody,
  JobLocationsBody,
  JobPageBody,
} from '../../src/application/contract/console.js';
import type { RecentFailedJobsBody } from '../../src/application/contract/failed-jobs.js';
import type { HealthReportBody } from '../../src/application/contract/health.js';
import { createQueuewatch } from '../../src/index.js';
import { getJson } from '../support/console-http.js';
import { documentedAclLine } from '../support/documented-acl.js';
import { HttpReceiver } from '../support/http-receiver.js';
import { addFailingJobs, paymentsQueue } from '../support/payments-queue.js';
import {
  startExpectingExit,
  startQueuewatchProcess,
  type QueuewatchProcess,
} from '../support/queuewatch-process.js';
import { useRedisCluster } from '../support/redis-cluster.js';
import { useRedisServer } from '../support/redis-harness.js';
import { eventOf, RecordingClient } from '../support/socket-clients.js';
import { waitFor } from '../support/wait-for.js';

/** Every queue under one hash tag, as BullMQ asks on a cluster. */
const prefix = '{bull}';
/** The URL's host is not used with cluster nodes (they are the seeds); its user and TLS are. */
const url = 'redis://cluster-node:6379';
const adminToken = 'cluster-admin-token-0123456789abcdef';

describe('Queuewatch on a Redis Cluster (three masters, three replicas: real processes)', () => {
  const cluster = useRedisCluster();
  const closers: (() => unknown)[] = [];
  let dir: string;
  let receiver: HttpReceiver;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'qw-cluster-'));
    receiver = await HttpReceiver.start();
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await receiver.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** A cluster client for the test's producers and workers, closed after the test. */
  function client(): Cluster {
    const opened = new Cluster(cluster().seeds.split(','), {
      redisOptions: { maxRetriesPerRequest: null },
    });
    closers.push(() => {
      opened.disconnect();
    });
    return opened;
  }

  async function start(env: Record<string, string> = {}): Promise<QueuewatchProcess> {
    const config = join(dir, 'queuewatch.json');
    await writeFile(
      config,
      JSON.stringify({
        alerts: {
          failureThreshold: { count: 10, windowMs: 60_000 },
          evaluateIntervalMs: 200,
          route: { groupWaitMs: 0, groupIntervalMs: 200 },
          delivery: { baseDelayMs: 200 },
          destinations: [{ name: 'ops', type: 'slack', url: `${receiver.url}/services/x` }],
        },
      }),
    );
    const started = await startQueuewatchProcess({
      REDIS_URL: url,
      REDIS_CLUSTER_NODES: cluster().seeds,
      QUEUEWATCH_PREFIX: prefix,
      QUEUEWATCH_DISCOVERY_INTERVAL_MS: '200',
      QUEUEWATCH_CONFIG: config,
      QUEUEWATCH_API_TOKEN: adminToken,
      ...env,
    });
    closers.push(() => started.stop());
    return started;
  }

  async function recorded(queuewatch: QueuewatchProcess): Promise<Set<string>> {
    const { body } = await getJson<RecentFailedJobsBody>(
      queuewatch.url,
      '/api/v1/jobs/failed/recent?limit=100',
      adminToken,
    );
    return new Set(body.jobs.map((record) => record.jobId));
  }

  it('should discover the queues, deliver their events, record failures, alert once and report health', async function () {
    this.timeout(90_000);
    const queuewatch = await start();
    const producer = client();
    const payments: Queue = paymentsQueue(producer, closers, 'payments', prefix);
    const orders: Queue = paymentsQueue(producer, closers, 'orders', prefix);
    await orders.add('ok', {}, { jobId: 'order-0' });
    await payments.add('ok', {}, { jobId: 'payment-0' });

    // Discovery walks every master; both queues are on the master of {bull}'s slot.
    const health = await waitFor(
      'both queues discovered, with their workers counted',
      () => getJson<HealthReportBody>(queuewatch.url, '/api/v1/health/queues', adminToken),
      ({ body }) =>
        ['orders', 'payments'].every(
          (name) =>
            body.queues.find((queue) => queue.queueName === name)?.details?.workerCount === 1,
        ),
      20_000,
    );
    expect(health.body.redis.status).to.equal('healthy');
    expect(health.body.redis.connectionStatus).to.equal('connected');

    // Events: a job followed over the gateway completes.
    const socket = await RecordingClient.connect(queuewatch.url, { token: adminToken });
    closers.push(() => {
      socket.close();
    });
    expect(await socket.request('subscribe-to-job', { jobId: 'order-1' })).to.deep.include({
      ok: true,
    });
    await orders.add('ok', { n: 1 }, { jobId: 'order-1' });
    const completed = await socket.next(eventOf('job-completed', 'order-1'), 20_000);
    expect(completed.payload).to.deep.include({ jobId: 'order-1', queueName: 'orders' });

    // Failures: every one in the dead-letter records, and one alert for the rate.
    const bad = Array.from({ length: 12 }, (_, index) => `bad-${String(index)}`);
    await payments.addBulk(bad.map((jobId) => ({ name: 'bad', data: {}, opts: { jobId } })));
    await waitFor(
      'every failure in the dead-letter records',
      () => recorded(queuewatch),
      (ids) => bad.every((jobId) => ids.has(jobId)),
      20_000,
    );
    await receiver.received(1);
    const text = (JSON.parse(receiver.requests[0]!.body) as { text: string }).text;
    expect(text).to.contain('High Failure Rate Detected');

    // The console: lists, the lookup across queues, one job in full, an action and its audit.
    const failedPage = await getJson<JobPageBody>(
      queuewatch.url,
      '/api/v1/queues/payments/jobs?state=failed&limit=50',
      adminToken,
    );
    expect(failedPage.body.total).to.equal(12);
    const located = await getJson<JobLocationsBody>(
      queuewatch.url,
      '/api/v1/jobs?id=bad-0',
      adminToken,
    );
    expect(located.body.found).to.deep.equal([{ queueName: 'payments', state: 'failed' }]);
    const details = await getJson(
      queuewatch.url,
      '/api/v1/queues/payments/jobs/bad-0/details',
      adminToken,
    );
    expect(details.status).to.equal(200);
    const retried = await fetch(`${queuewatch.url}/api/v1/queues/payments/jobs/bad-0/retry`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(retried.status).to.equal(200);
    expect(((await retried.json()) as JobActionBody).action).to.equal('retry');
    const audit = await getJson<AuditBody>(queuewatch.url, '/api/v1/audit?limit=5', adminToken);
    const entries = audit.body.entries;
    expect(entries.map((entry) => [entry.action, entry.outcome])).to.deep.include([
      'retry',
      { status: 'done', count: 1 },
    ]);

    // Queuewatch's own keys share the queues' slot: none is outside the {bull} tag.
    const own: string[] = [];
    for (const node of producer.nodes('master')) {
      own.push(...(await node.keys('queuewatch:*')));
    }
    expect(own.length).to.be.greaterThan(0);
    expect(own.filter((key) => !key.startsWith('queuewatch:{bull}:'))).to.deep.equal([]);
    expect(receiver.requests).to.have.length(1);
  });

  it('should run as the least-privilege user of docs/redis-setup.md, set on every node, and be refused nothing', async function () {
    this.timeout(90_000);
    const password = 'cluster-acl-password';
    const line = await documentedAclLine(password, 'acl-setuser-cluster');
    const nodes = cluster()
      .nodes.filter((node) => node.running)
      .map((node) => {
        const admin = new Redis(node.port, '127.0.0.1');
        closers.push(async () => {
          await admin.call('ACL', 'DELUSER', 'queuewatch');
          admin.disconnect();
        });
        return admin;
      });
    const setUser = (words: readonly string[]) =>
      Promise.all(nodes.map((admin) => admin.call('ACL', 'SETUSER', 'queuewatch', ...words)));
    const userUrl = `redis://queuewatch:${password}@cluster-node:6379`;

    // Without CLUSTER SLOTS a cluster client cannot work: refused at start, naming the command.
    await setUser(line.filter((word) => word !== '+cluster|slots'));
    const refused = await startExpectingExit({
      REDIS_URL: userUrl,
      REDIS_CLUSTER_NODES: cluster().seeds,
      QUEUEWATCH_PREFIX: prefix,
    });
    expect(refused.code).to.equal(2);
    expect(refused.stderr).to.match(
      /^queuewatch: REDIS_URL: Redis refused CLUSTER SLOTS to this user: NOPERM .*\n$/,
    );

    await setUser(['reset', ...line]);
    await Promise.all(nodes.map((admin) => admin.call('ACL', 'LOG', 'RESET')));
    const queuewatch = await start({ REDIS_URL: userUrl, QUEUEWATCH_QUEUES: 'guarded' });
    const guarded = paymentsQueue(client(), closers, 'guarded', prefix);
    const bad = Array.from({ length: 10 }, (_, index) => `guarded-${String(index)}`);
    await guarded.addBulk(bad.map((jobId) => ({ name: 'bad', data: {}, opts: { jobId } })));
    await waitFor(
      'every failure recorded by the least-privilege user',
      () => recorded(queuewatch),
      (ids) => bad.every((jobId) => ids.has(jobId)),
      20_000,
    );
    await receiver.received(1);
    const { body } = await getJson<HealthReportBody>(
      queuewatch.url,
      '/api/v1/health/queues',
      adminToken,
    );
    expect(body.redis.status).to.equal('healthy');
    expect(body.queues[0]?.details?.workerCount).to.equal(1);
    const refusals = await Promise.all(nodes.map((admin) => admin.call('ACL', 'LOG')));
    expect(refusals.flat()).to.deep.equal([]);
  });

  it('should follow a master kill without a restart: every failure after the failover recorded, the failover reported as a gap', async function () {
    this.timeout(120_000);
    const queuewatch = await start({ QUEUEWATCH_QUEUES: 'payments' });
    const producer = client();
    const payments = paymentsQueue(producer, closers, 'payments', prefix);
    const before = [1, 2, 3].map((n) => `before-${String(n)}`);
    await payments.addBulk(before.map((jobId) => ({ name: 'bad', data: {}, opts: { jobId } })));
    await waitFor(
      'the failures before the kill',
      () => recorded(queuewatch),
      (ids) => before.every((jobId) => ids.has(jobId)),
      20_000,
    );

    const master = await cluster().masterOf('{bull}:payments:events');
    const { promotedPort, failoverMs } = await cluster().killMaster(master);
    const failedOverAt = performance.now();
    const after = [1, 2, 3, 4, 5].map((n) => `after-${String(n)}`);
    await addFailingJobs(payments, after, 'the promoted master');
    await waitFor(
      'every failure after the failover in the dead-letter records',
      () => recorded(queuewatch),
      (ids) => after.every((jobId) => ids.has(jobId)),
      60_000,
    );
    const recoveredAt = performance.now();
    const health = await waitFor(
      'the failover reported as missed events',
      () => getJson<HealthReportBody>(queuewatch.url, '/api/v1/health/queues', adminToken),
      ({ body }) =>
        body.queues[0]?.issues.some(
          (issue) => issue.code === 'EVENTS_MISSED' && issue.message.includes('failed over'),
        ) === true,
      20_000,
    );
    expect(health.body.redis.connectionStatus).to.equal('connected');
    // The health report now measures the promoted master.
    const promoted = new Redis(promotedPort, '127.0.0.1');
    closers.push(() => {
      promoted.disconnect();
    });
    expect(await promoted.exists('{bull}:payments:after-1')).to.equal(1);
    process.stderr.write(
      `      cluster failover: replica promoted ${String(Math.round(failoverMs))} ms after the master was killed; every later failure recorded ${String(Math.round(recoveredAt - failedOverAt))} ms after that\n`,
    );
  });

  it("should follow a resharding without a restart: the queues' slot moved to another master, nothing missed", async function () {
    this.timeout(120_000);
    const queuewatch = await start({ QUEUEWATCH_QUEUES: 'payments' });
    const producer = client();
    const payments = paymentsQueue(producer, closers, 'payments', prefix);
    const before = [1, 2, 3].map((n) => `moved-before-${String(n)}`);
    await payments.addBulk(before.map((jobId) => ({ name: 'bad', data: {}, opts: { jobId } })));
    await waitFor(
      'the failures before the resharding',
      () => recorded(queuewatch),
      (ids) => before.every((jobId) => ids.has(jobId)),
      20_000,
    );

    const { toPort, keys } = await cluster().moveSlotOf('{bull}');
    expect(keys).to.be.greaterThan(0);
    expect(await cluster().masterOf('{bull}')).to.equal(toPort);
    const after = [1, 2, 3].map((n) => `moved-after-${String(n)}`);
    await addFailingJobs(payments, after, 'the new owner');
    await waitFor(
      'every failure after the resharding in the dead-letter records',
      () => recorded(queuewatch),
      (ids) => after.every((jobId) => ids.has(jobId)),
      30_000,
    );
    // Nothing missed: the streams moved whole, so reading went on after the last event read.
    const { body } = await waitFor(
      'the health report to be healthy after the move',
      () => getJson<HealthReportBody>(queuewatch.url, '/api/v1/health/queues', adminToken),
      (answer) => answer.body.redis.status === 'healthy',
      20_000,
    );
    expect(body.queues[0]?.issues.map((issue) => issue.code)).to.not.include('EVENTS_MISSED');
  });

  it('should be embeddable on the cluster (createQueuewatch with connection.cluster)', async function () {
    this.timeout(60_000);
    const qw = await createQueuewatch({
      connection: { url, cluster: { nodes: cluster().seeds.split(',') } },
      prefix,
      queues: ['embedded'],
      logLevel: 'silent',
    });
    closers.push(() => qw.close());
    const server = createServer(express().use(qw.router));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => server.close(resolve)));
    const base = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
    const queue = paymentsQueue(client(), closers, 'embedded', prefix);
    await queue.add('bad', {}, { jobId: 'embedded-1' });
    const { body } = await waitFor(
      'the failure recorded on the cluster',
      () => getJson<RecentFailedJobsBody>(base, '/api/v1/jobs/failed/recent?limit=10'),
      (answer) => answer.body.jobs.some((record) => record.jobId === 'embedded-1'),
      20_000,
    );
    expect(body.jobs.map((record) => record.queueName)).to.include('embedded');
  });

  it('should report the cluster unhealthy, not hang, while no node answers', async function () {
    this.timeout(30_000);
    const queuewatch = await startQueuewatchProcess({
      REDIS_URL: url,
      REDIS_CLUSTER_NODES: '127.0.0.1:1',
      QUEUEWATCH_PREFIX: prefix,
      QUEUEWATCH_QUEUES: 'payments',
    });
    closers.push(() => queuewatch.stop());
    const { status, body } = await getJson<HealthReportBody>(
      queuewatch.url,
      '/api/v1/health/queues',
    );
    expect(status).to.equal(503);
    expect(body.redis.status).to.equal('unhealthy');
    expect(body.redis.connectionStatus).to.not.equal('connected');
  });

  it('should not start with a prefix that has no hash tag: exit 2, one line naming QUEUEWATCH_PREFIX', async function () {
    this.timeout(30_000);
    expect(
      await startExpectingExit({
        REDIS_URL: url,
        REDIS_CLUSTER_NODES: cluster().seeds,
        QUEUEWATCH_PREFIX: 'bull',
      }),
    ).to.deep.equal({
      code: 2,
      stderr:
        'queuewatch: QUEUEWATCH_PREFIX: "bull" has no hash tag; on a Redis Cluster the queues\' prefix needs one, like {bull} (the workers\' prefix too)\n',
    });
  });

  describe('cluster nodes that are a plain Redis', () => {
    const plain = useRedisServer();

    it('should not start: exit 2, one line naming REDIS_CLUSTER_NODES', async function () {
      this.timeout(30_000);
      const { code, stderr } = await startExpectingExit({
        REDIS_URL: url,
        REDIS_CLUSTER_NODES: `127.0.0.1:${String(plain().port)}`,
        QUEUEWATCH_PREFIX: prefix,
      });
      expect(code).to.equal(2);
      expect(stderr).to.match(
        /^queuewatch: REDIS_CLUSTER_NODES: 127\.0\.0\.1:\d+ is not a Redis Cluster node \(ERR .*cluster support disabled.*\) \(see docs\/redis-setup\.md\)\n$/,
      );
    });
  });
});
