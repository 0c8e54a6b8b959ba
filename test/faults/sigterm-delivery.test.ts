import { mkdtemp, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { Queue } from 'bullmq';
import type { AlertsBody } from '../../src/application/contract/alerts.js';
import { HttpReceiver } from '../support/http-receiver.js';
import { writePagerConfig } from '../support/pager-config.js';
import { paymentsQueue } from '../support/payments-queue.js';
import { startQueuewatchProcess } from '../support/queuewatch-process.js';
import { useRedisServer } from '../support/redis-harness.js';
import { RecordingClient } from '../support/socket-clients.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Invariant: a Queuewatch told to stop (SIGTERM) while it delivers an alert finishes that delivery
 * and records it as done, so no instance sends it again (no duplicate) and none is lost; its
 * socket clients are disconnected in a way that makes them reconnect by themselves.
 */
describe('fault: SIGTERM during an alert delivery (real processes)', () => {
  const redis = useRedisServer();
  const closers: (() => unknown)[] = [];
  let dir: string;
  let webhook: HttpReceiver;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'qw-fault-sigterm-'));
    webhook = await HttpReceiver.start();
    webhook.fallback = { status: 204 };
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await webhook.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('should finish the delivery under way, exit 0, and leave nothing to send again', async function () {
    this.timeout(90_000);
    const config = await writePagerConfig(
      dir,
      webhook.url,
      { failureThreshold: { count: 3, windowMs: 3_600_000 } },
      { timeoutMs: 20_000 },
    );
    const env = {
      REDIS_URL: redis().url,
      QUEUEWATCH_QUEUES: 'payments',
      QUEUEWATCH_CONFIG: config,
    };
    const first = await startQueuewatchProcess({ ...env, QUEUEWATCH_INSTANCE_ID: 'first' });
    closers.push(() => first.stop());
    const client = await RecordingClient.connect(first.url);
    closers.push(() => {
      client.close();
    });
    await client.request('subscribe-to-queue', { queueName: 'payments' });

    // The receiver holds its answer: the delivery is under way when the signal comes.
    let answer = (): void => undefined;
    webhook.gate = new Promise((resolve) => {
      answer = resolve;
    });
    const queue = paymentsQueue(redis().url, closers);
    await queue.addBulk(
      ['bad-1', 'bad-2', 'bad-3'].map((jobId) => ({ name: 'bad', data: {}, opts: { jobId } })),
    );
    await webhook.received(1);
    const disconnected = new Promise<string>((resolve) => {
      client.socket.once('disconnect', resolve);
    });
    const exited = once(first.child, 'exit') as Promise<[number | null, string | null]>;
    first.child.kill('SIGTERM');
    const reason = await disconnected;
    // A server that goes away (not one that sends the client off) makes the client reconnect.
    expect(reason).to.equal('transport close');
    expect(first.child.exitCode, 'still delivering when its clients were let go').to.equal(null);
    answer();
    const [code] = await exited;
    expect(code).to.equal(0);

    // Another instance takes over the outbox: the delivery is done, so it is not sent again.
    const second = await startQueuewatchProcess({ ...env, QUEUEWATCH_INSTANCE_ID: 'second' });
    closers.push(() => second.stop());
    const alerts = await waitFor(
      'the delivery to be recorded',
      async () => (await (await fetch(`${second.url}/api/v1/alerts`)).json()) as AlertsBody,
      (body) => body.alerts[0]?.deliveries[0]?.state === 'delivered',
    );
    expect(alerts.alerts).to.have.length(1);
    const outbox = new Queue('queuewatch-alerts', { connection: { url: redis().url } });
    closers.push(() => outbox.close());
    const [job] = await outbox.getJobs(['completed', 'failed', 'active', 'wait', 'delayed']);
    expect(await job?.getState()).to.equal('completed');
    expect(webhook.requests).to.have.length(1);
  });
});
