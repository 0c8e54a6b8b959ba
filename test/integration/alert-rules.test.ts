import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Alert, MemberAlert } from '../../src/domain/alerting/alert.js';
import { loadConfig } from '../../src/bootstrap/config/load-config.js';
import { resolve } from '../../src/bootstrap/provide.js';
import { startQueuewatch, type RunningQueuewatch } from '../../src/bootstrap/queuewatch.js';
import { TOKENS } from '../../src/bootstrap/tokens.js';
import type { RedisServerProcess } from '../../src/demo/redis-server-process.js';
import { HttpReceiver } from '../support/http-receiver.js';
import { RecordingLogger } from '../support/recording-logger.js';
import { useRedisServer } from '../support/redis-harness.js';
import { waitFor } from '../support/wait-for.js';

const secret = `whsec_${Buffer.from('queuewatch-alert-rules-signing-key-01').toString('base64')}`;

/** One queue entry of the config file. */
type QueueEntry = Record<string, unknown> & { readonly name: string };

/**
 * Every condition rule through the whole stack: a real redis-server, real BullMQ queues and
 * workers, Queuewatch started in this process, and a real local webhook receiver. Each test waits
 * for the firing notice of its rule, changes the world, and waits for the resolved one.
 */
describe('condition alert rules (real Redis, real workers, a real webhook receiver)', () => {
  const closers: (() => unknown)[] = [];
  let dir: string;
  let webhook: HttpReceiver;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'qw-alert-rules-'));
    webhook = await HttpReceiver.start();
    webhook.fallback = { status: 204 };
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await webhook.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** Start Queuewatch on `redis` watching `queues`, with `rules` as `alerts.rules`. */
  async function start(
    redis: RedisServerProcess,
    queues: readonly QueueEntry[],
    rules: Record<string, unknown> = {},
    env: Record<string, string> = {},
  ): Promise<RunningQueuewatch> {
    const path = join(dir, 'queuewatch.json');
    await writeFile(
      path,
      JSON.stringify({
        queues,
        alerts: {
          evaluateIntervalMs: 200,
          rules,
          delivery: { attempts: 20, baseDelayMs: 100, maxDelayMs: 1_000 },
          destinations: [
            { name: 'hooks', type: 'webhook', url: `${webhook.url}/alerts`, secret: '${SECRET}' },
          ],
          route: { groupWaitMs: 0, groupIntervalMs: 300 },
        },
      }),
    );
    const config = await loadConfig({
      REDIS_URL: redis.url,
      PORT: '0',
      QUEUEWATCH_QUEUES: queues.map((queue) => queue.name).join(','),
      QUEUEWATCH_CONFIG: path,
      QUEUEWATCH_HEALTH_CACHE_MS: '0',
      QUEUEWATCH_HEALTH_QUIET_REFRESH_MS: '0',
      SECRET: secret,
      ...env,
    });
    const app = await startQueuewatch(config, { logger: new RecordingLogger() });
    closers.push(() => app.stop());
    return app;
  }

  function queue(redis: RedisServerProcess, name: string): Queue {
    const created = new Queue(name, { connection: { url: redis.url } });
    closers.push(() => created.close());
    return created;
  }

  /** A worker that completes every job at once (or when `gate` lets it). */
  function worker(
    redis: RedisServerProcess,
    name: string,
    gate: Promise<void> = Promise.resolve(),
  ): Worker {
    const created = new Worker(
      name,
      async () => {
        await gate;
        return 'ok';
      },
      { connection: { url: redis.url }, concurrency: 10 },
    );
    // Forced: a graceful close hangs while BullMQ is still reconnecting after a Redis restart.
    closers.push(() => created.close(true));
    return created;
  }

  /** Every alert the receiver got, a grouped notification's members one by one, in order. */
  function received(): MemberAlert[] {
    return webhook.requests.flatMap((request) => {
      const data = (JSON.parse(request.body) as { data: Alert }).data;
      return data.alerts ?? [data];
    });
  }

  /** Wait for the `status` notice of `rule` (about `queue`, when given). */
  async function notice(
    rule: string,
    status: 'firing' | 'resolved',
    queueName?: string,
  ): Promise<MemberAlert> {
    const matches = (alert: MemberAlert): boolean =>
      alert.rule === rule &&
      alert.status === status &&
      (queueName === undefined || alert.context.queueName === queueName);
    const all = await waitFor(
      `a ${status} ${rule} alert`,
      received,
      (alerts) => alerts.some(matches),
      30_000,
    );
    return all.find(matches)!;
  }

  async function addJobs(target: Queue, count: number, prefix = 'job'): Promise<void> {
    await target.addBulk(
      Array.from({ length: count }, (_, index) => ({
        name: 'work',
        data: {},
        opts: { jobId: `${prefix}-${String(index)}` },
      })),
    );
  }

  describe('having a Redis of their own', () => {
    const redis = useRedisServer();

    beforeEach(async () => {
      const admin = new Redis(redis().url);
      await admin.flushall();
      await admin.config('SET', 'maxmemory', '0');
      admin.disconnect();
    });

    it('should fire backlog with the queue labels once it held forMs, and resolve when drained', async function () {
      this.timeout(60_000);
      await start(redis(), [
        { name: 'orders', labels: { team: 'shop' }, rules: { backlog: { count: 3, forMs: 300 } } },
      ]);
      await addJobs(queue(redis(), 'orders'), 5);
      const firing = await notice('backlog', 'firing');
      expect(firing).to.deep.include({
        severity: 'medium',
        title: 'Backlog above 3 on orders',
        link: '/queues/orders',
      });
      expect(firing.labels).to.include({ team: 'shop', queue: 'orders', rule: 'backlog' });
      expect(firing.values).to.include({ waiting: 5, count: 3, clearCount: 2, forMs: 300 });

      worker(redis(), 'orders');
      const resolved = await notice('backlog', 'resolved');
      expect(resolved.id).to.equal(firing.id);
      expect(resolved.values).to.include({ waiting: 0 });
    });

    it('should fire oldest-waiting from the history and resolve once the job is taken', async function () {
      this.timeout(60_000);
      await start(redis(), [{ name: 'reports', rules: { 'oldest-waiting': { ageMs: 1_000 } } }]);
      await addJobs(queue(redis(), 'reports'), 1);
      const firing = await notice('oldest-waiting', 'firing');
      expect(firing.values.oldestWaitingMs).to.be.above(1_000);
      expect(firing.values).to.include({ ageMs: 1_000 });

      worker(redis(), 'reports');
      const resolved = await notice('oldest-waiting', 'resolved');
      expect(resolved.id).to.equal(firing.id);
      expect(resolved.values).to.include({ oldestWaitingMs: null });
    });

    it('should fire wait-p95 from measured waits and resolve once fast jobs bring it down', async function () {
      this.timeout(60_000);
      await start(redis(), [
        { name: 'thumbs', rules: { 'wait-p95': { ms: 1_000, windowMs: 60_000 } } },
      ]);
      const thumbs = queue(redis(), 'thumbs');
      await addJobs(thumbs, 2, 'slow');
      const added = (await thumbs.getJob('slow-1'))?.timestamp ?? 0;
      // The jobs must have waited longer than the threshold before a worker takes them.
      await waitFor(
        'the slow jobs to have waited 1.5 s',
        () => Date.now() - added,
        (waited) => waited > 1_500,
      );
      worker(redis(), 'thumbs');
      const firing = await notice('wait-p95', 'firing');
      expect(firing.values.waitP95Ms).to.be.above(1_000);

      await addJobs(thumbs, 60, 'fast');
      const resolved = await notice('wait-p95', 'resolved');
      expect(resolved.id).to.equal(firing.id);
      expect(resolved.values.waitP95Ms).to.be.at.most(800);
    });

    it('should fire drain-time for a backlog no worker drains, and resolve once it is empty', async function () {
      this.timeout(60_000);
      await start(redis(), [
        { name: 'exports', rules: { 'drain-time': { seconds: 60, forMs: 0 } } },
      ]);
      await addJobs(queue(redis(), 'exports'), 3);
      const firing = await notice('drain-time', 'firing');
      expect(firing.values).to.include({ drainStatus: 'no-workers', seconds: 60 });
      expect(firing.values.backlog).to.be.above(0);

      worker(redis(), 'exports');
      const resolved = await notice('drain-time', 'resolved');
      expect(resolved.id).to.equal(firing.id);
      expect(resolved.values).to.include({ drainStatus: 'empty', backlog: 0 });
    });

    it('should fire no-workers while jobs wait with no worker, and resolve when one connects', async function () {
      this.timeout(60_000);
      await start(redis(), [{ name: 'mail', rules: { 'no-workers': { forMs: 300 } } }]);
      await addJobs(queue(redis(), 'mail'), 2);
      const firing = await notice('no-workers', 'firing');
      expect(firing).to.deep.include({ title: 'No workers on mail' });
      expect(firing.values).to.include({ workers: 0, waiting: 2 });

      worker(redis(), 'mail');
      const resolved = await notice('no-workers', 'resolved');
      expect(resolved.id).to.equal(firing.id);
    });

    it('should fire stalled for an active job past its stale limit, and resolve when it ends', async function () {
      this.timeout(60_000);
      await start(redis(), [
        { name: 'videos', thresholds: { staleJobAfterMs: 500 }, rules: { stalled: {} } },
      ]);
      let release = (): void => undefined;
      worker(redis(), 'videos', new Promise((resolve) => (release = resolve)));
      await addJobs(queue(redis(), 'videos'), 1);
      const firing = await notice('stalled', 'firing');
      expect(firing.values).to.include({ staleJobs: 1, count: 1 });

      release();
      const resolved = await notice('stalled', 'resolved');
      expect(resolved.id).to.equal(firing.id);
      expect(resolved.values).to.include({ staleJobs: 0 });
    });

    it('should fire queue-paused (severity low) while paused and resolve on resume, sending neither', async function () {
      this.timeout(60_000);
      const app = await start(redis(), [
        { name: 'sms', rules: { 'queue-paused': {}, 'no-workers': { forMs: 0 } } },
      ]);
      const rules = resolve(app.container, TOKENS.ConditionRules);
      const sms = queue(redis(), 'sms');
      await sms.pause();
      const [paused] = await waitFor(
        'queue-paused to fire',
        () => rules.firingNow(),
        (firing) => firing.some((alert) => alert.rule === 'queue-paused'),
      );
      expect(paused).to.deep.include({ rule: 'queue-paused', queueName: 'sms' });
      expect(paused?.values).to.include({ paused: true });

      await sms.resume();
      await waitFor(
        'queue-paused to resolve',
        () => rules.firingNow(),
        (firing) => firing.length === 0,
      );
      // A later alert of the same queue arrives; the paused queue's notices never did.
      await addJobs(sms, 1);
      await notice('no-workers', 'firing', 'sms');
      expect(received().map((alert) => alert.rule)).to.not.include('queue-paused');
    });

    it('should fire redis-memory above its fraction of maxmemory, and resolve when it is unset', async function () {
      this.timeout(60_000);
      await start(redis(), [{ name: 'idle' }], { 'redis-memory': { fraction: 0.5 } });
      const admin = new Redis(redis().url);
      closers.push(() => {
        admin.disconnect();
      });
      const info = await admin.info('memory');
      const used = Number(/used_memory:(\d+)/.exec(info)?.[1]);
      await admin.config('SET', 'maxmemory', String(Math.round(used * 1.5)));
      const firing = await notice('redis-memory', 'firing');
      expect(firing).to.deep.include({
        severity: 'critical',
        link: '/',
        context: { queueName: 'redis' },
      });
      expect(firing.values.usedFraction).to.be.above(0.5);
      expect(firing.labels).to.not.have.property('queue');

      await admin.config('SET', 'maxmemory', '0');
      const resolved = await notice('redis-memory', 'resolved');
      expect(resolved.id).to.equal(firing.id);
      expect(resolved.values).to.include({ maxBytes: null });
    });

    it('should fire event-gap when a trimmed stream lost events, and resolve after its window', async function () {
      this.timeout(60_000);
      const ledgerEntry = { name: 'ledger', rules: { 'event-gap': { windowMs: 2_000 } } };
      const env = { QUEUEWATCH_INSTANCE_ID: 'alert-rules-gaps' };
      const ledger = queue(redis(), 'ledger');
      await addJobs(ledger, 1, 'before');
      const first = await start(redis(), [ledgerEntry], {}, env);
      // Read and checkpointed: the next start resumes from here.
      await addJobs(ledger, 1, 'read');
      const admin = new Redis(redis().url);
      closers.push(() => {
        admin.disconnect();
      });
      await waitFor(
        'a checkpoint of the ledger stream',
        () => admin.hget('queuewatch:checkpoints:alert-rules-gaps', 'ledger'),
        (checkpoint) => checkpoint !== null,
      );
      await first.stop();

      // While no Queuewatch reads, events are written and trimmed away.
      await addJobs(ledger, 3, 'while-down');
      await admin.xtrim('bull:ledger:events', 'MAXLEN', 0);

      await start(redis(), [ledgerEntry], {}, env);
      const firing = await notice('event-gap', 'firing', 'ledger');
      expect(firing.values).to.include({ windowMs: 2_000 });
      expect(firing.values.lastGapAt).to.be.a('string');

      const resolved = await notice('event-gap', 'resolved', 'ledger');
      expect(resolved.id).to.equal(firing.id);
    });
  });

  describe('having Redis stop and start again', () => {
    const redis = useRedisServer();

    it('should fire redis-down while Redis is away and resolve once it answers again', async function () {
      this.timeout(90_000);
      const app = await start(redis(), [{ name: 'idle' }], { 'redis-down': { forMs: 0 } });
      const rules = resolve(app.container, TOKENS.ConditionRules);
      await redis().stop();
      await waitFor(
        'Queuewatch to find Redis down',
        () => rules.firingNow(),
        (firing) => firing.some((alert) => alert.rule === 'redis-down'),
        30_000,
      );
      // The firing notice may go out during the outage or once Redis is back; either way first.
      await redis().start();
      const firing = await notice('redis-down', 'firing');
      expect(firing).to.deep.include({
        severity: 'critical',
        title: 'Redis is unreachable',
        link: '/',
        context: { queueName: 'redis' },
      });
      expect(firing.values).to.include({ reachable: false });

      const resolved = await notice('redis-down', 'resolved');
      expect(resolved.id).to.equal(firing.id);
      const order = received().filter((alert) => alert.rule === 'redis-down');
      expect(order.map((alert) => alert.status)).to.deep.equal(['firing', 'resolved']);
    });
  });
});
