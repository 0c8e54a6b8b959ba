import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import type { AlertsBody } from '../../src/application/contract/alerts.js';
import type { SubmitJobBody } from '../../src/application/contract/jobs.js';
import { loadConfig } from '../../src/bootstrap/config/load-config.js';
import { startQueuewatch } from '../../src/bootstrap/queuewatch.js';
import { paymentsQueue } from '../support/payments-queue.js';
import { RecordingLogger } from '../support/recording-logger.js';
import { useRedisServer } from '../support/redis-harness.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Queuewatch's own keys, as docs/configuration.md's "What Queuewatch writes in your Redis" lists them (prefix
 * `bull`, instance id `footprint`, the queue `payments`). Keep the two in step.
 */
const documented: Record<string, RegExp> = {
  'dead-letter queue': /^bull:failed-jobs:/,
  'alert outbox': /^bull:queuewatch-alerts:/,
  'alert claim': /^queuewatch:alert-claim:failure-rate\/payments\/(firing|\d+\/resolved)$/,
  'alert log index': /^queuewatch:alerts:index$/,
  'alert log record': /^queuewatch:alerts:record:\S+\/(\d+|(firing|resolved)\/held)$/,
  'alert groups': /^queuewatch:alerts:group:(state|members):\S+$/,
  'firing alerts': /^queuewatch:alerts:firing$/,
  silences: /^queuewatch:alerts:silences$/,
  history: /^queuewatch:history:payments:(m:\d+|h:\d+|position|running|total)$/,
  checkpoints: /^queuewatch:checkpoints:footprint$/,
  'data epoch': /^queuewatch:epoch$/,
  'audit trail': /^queuewatch:audit$/,
  'rate-limit counters':
    /^queuewatch:rate-limit:(test-alerts|job-submissions):(address|token):\S+$/,
};

describe('what Queuewatch writes in Redis (real Redis, real workers)', () => {
  const redis = useRedisServer();
  const closers: (() => unknown)[] = [];
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'qw-footprint-'));
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await rm(dir, { recursive: true, force: true });
  });

  it('should write only the keys docs/configuration.md lists, besides the jobs added from the Lab', async function () {
    this.timeout(30_000);
    const configPath = join(dir, 'queuewatch.json');
    await writeFile(
      configPath,
      JSON.stringify({
        alerts: {
          failureThreshold: { count: 3, windowMs: 60_000 },
          evaluateIntervalMs: 200,
          destinations: [{ name: 'log', type: 'log' }],
        },
      }),
    );
    const app = await startQueuewatch(
      await loadConfig({
        REDIS_URL: redis().url,
        PORT: '0',
        QUEUEWATCH_QUEUES: 'payments',
        QUEUEWATCH_CONFIG: configPath,
        QUEUEWATCH_INSTANCE_ID: 'footprint',
      }),
      { logger: new RecordingLogger() },
    );
    closers.push(() => app.stop());
    const admin = new Redis(redis().url);
    closers.push(() => {
      admin.disconnect();
    });

    // The user's side: a producer and a worker on `payments`, three jobs that fail.
    const payments = paymentsQueue(redis().url, closers);
    await payments.addBulk(
      ['b1', 'b2', 'b3'].map((jobId) => ({ name: 'bad', data: {}, opts: { jobId } })),
    );
    const submitted = await fetch(`${app.url}/api/v1/queues/payments/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'lab-job', data: { from: 'the Lab' } }),
    });
    expect(submitted.status).to.equal(201);
    const { jobId } = (await submitted.json()) as SubmitJobBody;
    // A silence that starts tomorrow: kept in Redis, holding nothing back today.
    const silenced = await fetch(`${app.url}/api/v1/silences`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        matchers: [{ label: 'queue', op: '=', value: 'payments' }],
        startsAt: new Date(Date.now() + 86_400_000).toISOString(),
        endsAt: new Date(Date.now() + 2 * 86_400_000).toISOString(),
        comment: 'tomorrow',
      }),
    });
    expect(silenced.status).to.equal(201);

    await waitFor(
      'the alert to be delivered',
      async () => (await fetch(`${app.url}/api/v1/alerts`)).json() as Promise<AlertsBody>,
      (body) =>
        body.alerts.some((record) => record.deliveries.some((d) => d.state === 'delivered')),
      15_000,
    );
    const keys = await waitFor(
      'the checkpoint to be saved',
      () => admin.keys('*'),
      (all) => all.some((key) => documented.checkpoints!.test(key)),
    );

    expect(await admin.hget(`bull:payments:${jobId}`, 'name'), 'the Lab job').to.equal('lab-job');
    const own = keys.filter((key) => !key.startsWith('bull:payments:'));
    const undocumented = own.filter((key) => !Object.values(documented).some((re) => re.test(key)));
    expect(undocumented, 'keys docs/configuration.md does not list').to.deep.equal([]);
    const missing = Object.entries(documented)
      .filter(([, pattern]) => !own.some((key) => pattern.test(key)))
      .map(([what]) => what);
    expect(missing, 'listed keys this run should have written').to.deep.equal([]);
  });
});
