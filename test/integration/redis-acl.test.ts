import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { documentedAclLine } from '../support/documented-acl.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import type { FailedJobStatsBody } from '../../src/application/contract/failed-jobs.js';
import type { HealthReportBody } from '../../src/application/contract/health.js';
import { getJson } from '../support/console-http.js';
import { HttpReceiver } from '../support/http-receiver.js';
import { paymentsQueue } from '../support/payments-queue.js';
import {
  startExpectingExit,
  startQueuewatchProcess,
  type QueuewatchProcess,
} from '../support/queuewatch-process.js';
import { useRedisServer } from '../support/redis-harness.js';
import { RecordingClient, eventOf } from '../support/socket-clients.js';
import { waitFor } from '../support/wait-for.js';

const password = 'acl-test-password';

/** The entries of ACL LOG, each as its field → value map. */
async function aclLog(admin: Redis): Promise<Record<string, unknown>[]> {
  const entries = (await admin.call('ACL', 'LOG')) as unknown[][];
  return entries.map((entry) => {
    const fields: Record<string, unknown> = {};
    for (let index = 0; index < entry.length; index += 2) {
      fields[String(entry[index])] = entry[index + 1];
    }
    return fields;
  });
}

describe('Queuewatch as the least-privilege ACL user of docs/redis-setup.md (real Redis, real processes)', () => {
  const redis = useRedisServer();
  const closers: (() => unknown)[] = [];
  let admin: Redis;
  let dir: string;
  let receiver: HttpReceiver;

  beforeEach(async () => {
    admin = new Redis(redis().url);
    await admin.flushall();
    await admin.call('ACL', 'DELUSER', 'queuewatch');
    await admin.call('ACL', 'LOG', 'RESET');
    dir = await mkdtemp(join(tmpdir(), 'qw-acl-'));
    receiver = await HttpReceiver.start();
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await receiver.stop();
    await rm(dir, { recursive: true, force: true });
    await admin.call('ACL', 'DELUSER', 'queuewatch');
    admin.disconnect();
  });

  async function start(): Promise<QueuewatchProcess> {
    const config = join(dir, 'queuewatch.json');
    await writeFile(
      config,
      JSON.stringify({
        alerts: {
          failureThreshold: { count: 3, windowMs: 60_000 },
          evaluateIntervalMs: 200,
          route: { groupWaitMs: 0, groupIntervalMs: 200 },
          destinations: [{ name: 'ops', type: 'slack', url: `${receiver.url}/services/x` }],
        },
      }),
    );
    const url = new URL(redis().url);
    url.username = 'queuewatch';
    url.password = password;
    const started = await startQueuewatchProcess({
      REDIS_URL: url.toString(),
      QUEUEWATCH_CONFIG: config,
      // Discovery by SCAN, found at once.
      QUEUEWATCH_DISCOVERY_INTERVAL_MS: '200',
    });
    closers.push(() => started.stop());
    return started;
  }

  const post = async (base: string, path: string, body: unknown = {}): Promise<number> => {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    await response.arrayBuffer();
    return response.status;
  };

  it('should run every part of Queuewatch as that user, and Redis should refuse it nothing', async function () {
    this.timeout(90_000);
    await admin.call('ACL', 'SETUSER', 'queuewatch', ...(await documentedAclLine(password)));
    const queue = paymentsQueue(redis().url, closers);
    await queue.add('good', { order: 'first' }, { jobId: 'g1' });
    const queuewatch = await start();
    const base = queuewatch.url;

    // Discovery, then live progress through the gateway (pub/sub and the event stream).
    await waitFor(
      'the payments queue to be discovered',
      () => getJson<{ queues: { name: string }[] }>(base, '/api/v1/queues'),
      ({ body }) => body.queues.some((entry) => entry.name === 'payments'),
      20_000,
    );
    const client = await RecordingClient.connect(base);
    closers.push(() => {
      client.close();
    });
    expect((await client.request('subscribe-to-queue', { queueName: 'payments' })).ok).to.equal(
      true,
    );
    await queue.add('good', { order: 'second' }, { jobId: 'g2' });
    await client.next(eventOf('job-completed', 'g2'));

    // Failures: dead letters, and the failure alert through the group flush and outbox workers.
    await queue.addBulk(
      ['b1', 'b2', 'b3'].map((jobId) => ({ name: 'bad', data: { order: jobId }, opts: { jobId } })),
    );
    await waitFor(
      'three dead-letter records',
      () => getJson<FailedJobStatsBody>(base, '/api/v1/jobs/failed/stats'),
      ({ body }) => body.deadLetterQueue.size === 3,
      20_000,
    );
    await receiver.received(1);

    // Health (INFO, CLIENT LIST, the health script), history, forecast, metrics.
    const health = await getJson<HealthReportBody>(base, '/api/v1/health/queues');
    expect(health.body.redis.connectionStatus).to.equal('connected');
    expect(health.body.redis.memory.usedBytes).to.be.a('number');
    expect(health.body.queues[0]?.details?.workerCount).to.be.greaterThan(0);
    expect((await getJson(base, '/api/v1/queues/payments/history?range=1h')).status).to.equal(200);
    expect((await getJson(base, '/api/v1/queues/payments/forecast')).status).to.equal(200);
    expect((await fetch(`${base}/metrics`)).status).to.equal(200);

    // The console: lists, search, detail, an action, a bulk action, pause and resume.
    const failed = await getJson<{ jobs: unknown[] }>(
      base,
      '/api/v1/queues/payments/jobs?state=failed',
    );
    expect(failed.body.jobs).to.have.length(3);
    const search = await getJson<{ jobs: unknown[] }>(
      base,
      '/api/v1/queues/payments/search?state=failed&data=b2',
    );
    expect(search.body.jobs).to.have.length(1);
    expect((await getJson(base, '/api/v1/queues/payments/jobs/b1/details')).status).to.equal(200);
    expect((await getJson(base, '/api/v1/jobs?id=b1')).status).to.equal(200);
    expect(await post(base, '/api/v1/queues/payments/jobs/b1/retry')).to.equal(200);
    expect(await post(base, '/api/v1/queues/payments/pause')).to.equal(200);
    expect(await post(base, '/api/v1/queues/payments/resume')).to.equal(200);
    expect(await post(base, '/api/v1/queues/payments/retry-all')).to.equal(202);
    await waitFor(
      'the retried jobs to fail again',
      () => getJson<FailedJobStatsBody>(base, '/api/v1/jobs/failed/stats'),
      ({ body }) => body.deadLetterQueue.size >= 6,
      20_000,
    );
    const audit = await getJson<{ entries: unknown[] }>(base, '/api/v1/audit?limit=10');
    expect(audit.body.entries.length).to.be.greaterThanOrEqual(4);

    // Alerts: the firing list, a silence.
    expect((await getJson(base, '/api/v1/alerts/firing')).status).to.equal(200);
    expect(
      await post(base, '/api/v1/silences', {
        matchers: [{ label: 'queue', op: '=', value: 'payments' }],
        endsAt: new Date(Date.now() + 60_000).toISOString(),
        comment: 'acl test',
      }),
    ).to.equal(201);

    expect(await aclLog(admin)).to.deep.equal([]);
  });

  /** Start Queuewatch as `user`, expecting it not to: its exit code and stderr. */
  async function failedStart(
    user: string,
    secret: string,
  ): Promise<{ code: number | null; stderr: string }> {
    const url = new URL(redis().url);
    url.username = user;
    url.password = secret;
    return startExpectingExit({ REDIS_URL: url.toString() });
  }

  it('should not start as a user without a permission it needs: exit 2, one line naming REDIS_URL and the command', async function () {
    this.timeout(30_000);
    const line = (await documentedAclLine(password)).filter((word) => word !== '+info');
    await admin.call('ACL', 'SETUSER', 'queuewatch', ...line);
    expect(await failedStart('queuewatch', password)).to.deep.equal({
      code: 2,
      stderr:
        "queuewatch: REDIS_URL: Redis refused INFO to this user: NOPERM this user has no permissions to run the 'info' command (see docs/redis-setup.md)\n",
    });
    const wrong = await failedStart('queuewatch', 'not-the-password');
    expect(wrong.code).to.equal(2);
    expect(wrong.stderr).to.match(
      /^queuewatch: REDIS_URL: Redis refused the user and password: WRONGPASS [^\n]+\n$/,
    );
  });

  it('should report a permission taken away while it runs as the reason Redis is unhealthy, and keep serving', async function () {
    this.timeout(60_000);
    await admin.call('ACL', 'SETUSER', 'queuewatch', ...(await documentedAclLine(password)));
    const queuewatch = await start();
    await admin.call('ACL', 'SETUSER', 'queuewatch', '-info');
    const health = await waitFor(
      'the health report to name the refusal',
      () => getJson<HealthReportBody>(queuewatch.url, '/api/v1/health/queues'),
      ({ body }) => JSON.stringify(body.redis.issues).includes('NOPERM'),
      20_000,
    );
    expect(health.status).to.equal(503);
    expect(JSON.stringify(health.body.redis.issues)).to.match(/NOPERM[^"]*'info'/);
    await admin.call('ACL', 'SETUSER', 'queuewatch', '+info');
    await waitFor(
      'Redis to be healthy again once INFO is allowed',
      () => getJson<HealthReportBody>(queuewatch.url, '/api/v1/health/queues'),
      ({ body }) => body.redis.status !== 'unhealthy',
      20_000,
    );
  });
});
