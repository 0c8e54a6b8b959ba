import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { AlertsBody } from '../../src/application/contract/alerts.js';
import type { Alert } from '../../src/domain/alerting/alert.js';
import { HttpReceiver } from '../support/http-receiver.js';
import { writePagerConfig } from '../support/pager-config.js';
import { useInProcessQueuewatch } from '../support/in-process-queuewatch.js';
import { paymentsQueue } from '../support/payments-queue.js';
import { useRedisServer } from '../support/redis-harness.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Invariant: a destination gets the notices of one incident in the order they were decided —
 * firing, then resolved — each accepted exactly once, even when it refuses the firing one until
 * after the incident has resolved.
 */
describe('fault: a webhook that fails, then recovers (real Redis, real HTTP receiver)', () => {
  const redis = useRedisServer();
  const harness = useInProcessQueuewatch(redis, { QUEUEWATCH_QUEUES: 'payments' });
  let dir: string;
  let webhook: HttpReceiver;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'qw-fault-webhook-'));
    webhook = await HttpReceiver.start();
  });
  afterEach(async () => {
    await webhook.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('should deliver "firing" before "resolved", each once, to a receiver that answered 500 until the incident was over', async function () {
    this.timeout(60_000);
    webhook.fallback = { status: 500, body: 'down' };
    const config = await writePagerConfig(dir, webhook.url, {
      failureThreshold: { count: 5, windowMs: 1_500, clearCount: 2 },
      evaluateIntervalMs: 100,
      delivery: { attempts: 20, baseDelayMs: 200, maxDelayMs: 2_000 },
    });
    const app = await harness.start({ QUEUEWATCH_CONFIG: config });
    const queue = paymentsQueue(redis().url, harness.closers);
    await queue.addBulk(
      Array.from({ length: 5 }, (_, index) => ({
        name: 'bad',
        data: {},
        opts: { jobId: `bad-${String(index)}` },
      })),
    );

    // Both notices are decided while the receiver still refuses: the resolved one is queued.
    await waitFor(
      'the resolved notice to be queued',
      async () => (await (await fetch(`${app.url}/api/v1/alerts`)).json()) as AlertsBody,
      (body) => body.alerts.some((record) => record.alert.status === 'resolved'),
      20_000,
    );
    const refusedBefore = webhook.requests.length;
    expect(refusedBefore).to.be.at.least(1);
    webhook.fallback = { status: 204 };

    const accepted = (): Alert['status'][] =>
      webhook.requests
        .slice(refusedBefore)
        .map((request) => (JSON.parse(request.body) as { data: Alert }).data.status);
    await waitFor('both notices to be accepted', accepted, (statuses) => statuses.length >= 2);
    // A sentinel: the receiver is asked nothing more once the outbox is done with both.
    await waitFor(
      'both deliveries to be recorded as delivered',
      async () => (await (await fetch(`${app.url}/api/v1/alerts`)).json()) as AlertsBody,
      (body) =>
        body.alerts.length === 2 &&
        body.alerts.every((record) =>
          record.deliveries.every((delivery) => delivery.state === 'delivered'),
        ),
    );
    expect(accepted()).to.deep.equal(['firing', 'resolved']);
    const refused = webhook.requests
      .slice(0, refusedBefore)
      .map((request) => (JSON.parse(request.body) as { data: Alert }).data.status);
    expect(
      refused,
      'a resolved notice is never tried before its firing one is done',
    ).to.not.include('resolved');
  });
});
