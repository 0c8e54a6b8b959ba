import { createHmac } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { AlertsBody, TestAlertBody } from '../../src/application/contract/alerts.js';
import type {
  FailedJobStatsBody,
  RecentFailedJobsBody,
} from '../../src/application/contract/failed-jobs.js';
import type { Alert } from '../../src/domain/alerting/alert.js';
import { loadConfig } from '../../src/bootstrap/config/load-config.js';
import { startQueuewatch, type RunningQueuewatch } from '../../src/bootstrap/queuewatch.js';
import { paymentsQueue } from '../support/payments-queue.js';
import { HttpReceiver, type ReceivedRequest } from '../support/http-receiver.js';
import { RecordingLogger } from '../support/recording-logger.js';
import { useRedisServer } from '../support/redis-harness.js';
import { waitFor } from '../support/wait-for.js';

const secret = `whsec_${Buffer.from('queuewatch-test-signing-key-0123456789').toString('base64')}`;
const slackPath = '/services/T000/B000/sl4ckS3cretPath';

/** Check a Standard Webhooks signature as a receiver would, from the spec alone. */
export function verifySignature(request: ReceivedRequest): boolean {
  const id = String(request.headers['webhook-id']);
  const timestamp = String(request.headers['webhook-timestamp']);
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key)
    .update(`${id}.${timestamp}.${request.body}`)
    .digest('base64');
  return String(request.headers['webhook-signature'])
    .split(' ')
    .some((signature) => signature === `v1,${expected}`);
}

function webhookAlert(request: ReceivedRequest | undefined): Alert {
  return (JSON.parse(request?.body ?? '{}') as { data: Alert }).data;
}

describe('dead-letter monitoring and alerts (real Redis, real workers, real HTTP receivers)', () => {
  const redis = useRedisServer();
  const closers: (() => unknown)[] = [];
  let dir: string;
  let slack: HttpReceiver;
  let webhook: HttpReceiver;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'qw-alerts-'));
    slack = await HttpReceiver.start();
    webhook = await HttpReceiver.start();
    webhook.fallback = { status: 204 };
    const admin = new Redis(redis().url);
    await admin.flushall();
    admin.disconnect();
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await Promise.all([slack.stop(), webhook.stop()]);
    await rm(dir, { recursive: true, force: true });
  });

  /** Write the config file: the seed's rule over a short window, both receivers, fast retries. */
  async function configFile(extra: Record<string, unknown> = {}): Promise<string> {
    const path = join(dir, 'queuewatch.json');
    await writeFile(
      path,
      JSON.stringify({
        queues: [{ name: 'payments', priority: 'high' }],
        alerts: {
          failureThreshold: { count: 10, windowMs: 3_000, clearCount: 5 },
          evaluateIntervalMs: 200,
          route: { groupWaitMs: 0, groupIntervalMs: 200 },
          delivery: { attempts: 6, baseDelayMs: 200, maxDelayMs: 5_000 },
          destinations: [
            { name: 'slack', type: 'slack', url: `${slack.url}${slackPath}` },
            {
              name: 'hooks',
              type: 'webhook',
              url: `${webhook.url}/alerts`,
              secret: '${HOOK_SECRET}',
            },
          ],
          ...extra,
        },
      }),
    );
    return path;
  }

  async function start(env: Record<string, string> = {}): Promise<RunningQueuewatch> {
    const config = await loadConfig({
      REDIS_URL: redis().url,
      PORT: '0',
      QUEUEWATCH_QUEUES: 'payments',
      QUEUEWATCH_CONFIG: await configFile(),
      HOOK_SECRET: secret,
      ...env,
    });
    const app = await startQueuewatch(config, { logger: new RecordingLogger() });
    closers.push(() => app.stop());
    return app;
  }

  const payments = (): Queue => paymentsQueue(redis().url, closers);

  async function fail(queue: Queue, count: number, from = 0): Promise<void> {
    await queue.addBulk(
      Array.from({ length: count }, (_, index) => ({
        name: 'bad',
        data: {},
        opts: { jobId: `bad-${String(from + index)}` },
      })),
    );
  }

  async function get<T>(app: RunningQueuewatch, path: string): Promise<T> {
    return (await (await fetch(`${app.url}${path}`)).json()) as T;
  }

  it('should alert once at each destination on the 10th failure, stay quiet after, and resolve once', async function () {
    this.timeout(60_000);
    const app = await start();
    const queue = payments();

    await fail(queue, 9);
    await waitFor(
      '9 records in the dead-letter queue',
      () => get<FailedJobStatsBody>(app, '/api/v1/jobs/failed/stats'),
      (stats) => stats.deadLetterQueue.size === 9,
    );
    expect(slack.requests).to.have.length(0);

    await fail(queue, 11, 9);
    await Promise.all([slack.received(1), webhook.received(1)]);
    await waitFor(
      '20 records in the dead-letter queue',
      () => get<FailedJobStatsBody>(app, '/api/v1/jobs/failed/stats'),
      (stats) => stats.deadLetterQueue.size === 20,
    );

    const firing = webhookAlert(webhook.requests[0]);
    expect(firing).to.include({
      status: 'firing',
      severity: 'high',
      title: 'High Failure Rate Detected',
    });
    expect(firing.message).to.match(/^Queue payments has 1\d failures in the last 3 seconds/);
    expect(firing.context).to.include({ queueName: 'payments', threshold: 10, windowMs: 3_000 });
    expect(firing.context.failureCount).to.be.at.least(10);
    expect(firing.context.recentJobId).to.match(/^bad-\d+$/);
    expect(firing.context.error).to.match(/^payment bad-\d+ declined$/);
    expect(firing.id).to.be.a('string');
    expect(firing.startsAt).to.match(/^\d{4}-\d\d-\d\dT/);
    expect(verifySignature(webhook.requests[0]!)).to.equal(true);
    expect(slack.requests[0]?.path).to.equal(slackPath);
    const slackBody = JSON.parse(slack.requests[0]?.body ?? '{}') as {
      text: string;
      blocks: unknown[];
    };
    expect(slackBody.text).to.contain('High Failure Rate Detected');
    expect(slackBody.blocks).to.be.an('array').that.is.not.empty;

    // The window drains, the monitor resolves: one notice each, for the same incident.
    await Promise.all([slack.received(2), webhook.received(2)]);
    const resolved = webhookAlert(webhook.requests[1]);
    expect(resolved).to.include({
      status: 'resolved',
      id: firing.id,
      title: 'Failure Rate Back to Normal',
    });
    expect(resolved.endsAt).to.be.a('string');
    expect(verifySignature(webhook.requests[1]!)).to.equal(true);
    expect(JSON.parse(slack.requests[1]?.body ?? '{}'))
      .to.have.property('text')
      .that.matches(/resolved|Back to Normal/i);

    const alerts = await get<AlertsBody>(app, '/api/v1/alerts');
    expect(alerts.alerts.map((record) => record.alert.status)).to.deep.equal([
      'resolved',
      'firing',
    ]);
    for (const record of alerts.alerts) {
      expect(
        record.deliveries.map((delivery) => [delivery.destination, delivery.state]),
      ).to.deep.equal([
        ['hooks', 'delivered'],
        ['slack', 'delivered'],
      ]);
    }
    expect(JSON.stringify(alerts)).to.not.contain(secret).and.not.contain('sl4ckS3cretPath');
    expect(alerts.destinations.map((destination) => destination.name)).to.deep.equal([
      'slack',
      'hooks',
    ]);
    expect(slack.requests).to.have.length(2);
    expect(webhook.requests).to.have.length(2);
  });

  it('should honour Retry-After: a receiver answering 429 gets the alert again no sooner than it asked', async function () {
    this.timeout(60_000);
    webhook.replies.push({ status: 429, headers: { 'Retry-After': '2' }, body: 'slow down' });
    const app = await start();
    await fail(payments(), 10);
    await webhook.received(2);
    const [refused, accepted] = webhook.requests;
    expect(accepted!.at - refused!.at).to.be.at.least(2_000);
    expect(accepted!.headers['webhook-id']).to.equal(refused!.headers['webhook-id']);
    expect(verifySignature(accepted!)).to.equal(true);
    const alerts = await waitFor(
      'the delivery to be recorded',
      () => get<AlertsBody>(app, '/api/v1/alerts'),
      (body) =>
        body.alerts[0]?.deliveries.find((delivery) => delivery.destination === 'hooks')?.state ===
        'delivered',
    );
    expect(
      alerts.alerts[0]?.deliveries.find((delivery) => delivery.destination === 'hooks')?.attempts,
    ).to.equal(2);
  });

  it('should deliver to a receiver that was down once it is back, without holding up the others', async function () {
    this.timeout(60_000);
    await webhook.stop();
    const app = await start();
    await fail(payments(), 10);
    await slack.received(1);
    await waitFor(
      'the webhook delivery to be retrying',
      () => get<AlertsBody>(app, '/api/v1/alerts'),
      (body) =>
        body.alerts[0]?.deliveries.find((delivery) => delivery.destination === 'hooks')?.state ===
        'retrying',
    );
    await webhook.listen();
    await webhook.received(1, 30_000);
    expect(webhookAlert(webhook.requests[0]).status).to.equal('firing');
    expect(verifySignature(webhook.requests[0]!)).to.equal(true);
  });

  it('should record every failure with its context, newest first, and validate limit', async () => {
    const app = await start();
    const queue = payments();
    await queue.add('bad', { order: 42, card: 'visa' }, { jobId: 'order-42' });
    await queue.add('bad', { order: 43 }, { jobId: 'order-43' });
    const recent = await waitFor(
      'two records',
      () => get<RecentFailedJobsBody>(app, '/api/v1/jobs/failed/recent?limit=5'),
      (body) => body.jobs.length === 2,
    );
    const ids = recent.jobs.map((record) => record.jobId);
    expect(ids).to.have.members(['order-42', 'order-43']);
    const record = recent.jobs.find((entry) => entry.jobId === 'order-42');
    expect(record).to.include({
      queueName: 'payments',
      jobName: 'bad',
      failedReason: 'payment order-42 declined',
      attemptsMade: 1,
      willRetry: false,
      priority: 'high',
    });
    expect(record?.stacktrace[0]).to.contain('UnrecoverableError');
    expect(record?.dataPreview).to.equal('{"order":42,"card":"visa"}');
    expect(Date.parse(recent.jobs[0]!.failedAt)).to.be.at.least(
      Date.parse(recent.jobs[1]!.failedAt),
    );

    const stats = await get<FailedJobStatsBody>(app, '/api/v1/jobs/failed/stats');
    expect(stats.deadLetterQueue).to.include({ queueName: 'failed-jobs', size: 2 });
    expect(stats.monitoredQueues[0]).to.deep.include({
      queueName: 'payments',
      priority: 'high',
      alert: { status: 'ok' },
    });
    expect(stats.monitoredQueues[0]?.window).to.include({ failed: 2, windowMs: 3_000 });

    for (const bad of ['0', '1001', 'abc', '2.5']) {
      const response = await fetch(`${app.url}/api/v1/jobs/failed/recent?limit=${bad}`);
      expect(response.status, `limit=${bad}`).to.equal(400);
      expect(await response.json()).to.deep.equal({
        error: { code: 'QW_BAD_REQUEST', message: 'limit: expected a whole number from 1 to 1000' },
      });
    }
  });

  it('should send a test alert to every destination and report each result', async () => {
    slack.fallback = { status: 404, body: 'no_service' };
    const app = await start();
    const response = await fetch(`${app.url}/api/v1/alerts/test`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).to.equal(200);
    const body = (await response.json()) as TestAlertBody;
    expect(body.results).to.deep.include({
      destination: 'hooks',
      type: 'webhook',
      outcome: 'delivered',
    });
    const slackResult = body.results.find((result) => result.destination === 'slack');
    expect(slackResult).to.include({ outcome: 'failed', retryable: false });
    expect(slackResult?.reason).to.contain('404');
    expect(JSON.stringify(body)).to.not.contain('sl4ckS3cretPath');
    expect(verifySignature(webhook.requests[0]!)).to.equal(true);
  });
});
