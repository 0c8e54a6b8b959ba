import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { ConditionRules } from '../../src/application/alerting/condition-rules.js';
import type { HealthReportBody } from '../../src/application/contract/health.js';
import { loadConfig } from '../../src/bootstrap/config/load-config.js';
import { resolve } from '../../src/bootstrap/provide.js';
import { startQueuewatch, type RunningQueuewatch } from '../../src/bootstrap/queuewatch.js';
import { TOKENS } from '../../src/bootstrap/tokens.js';
import type { Alert, MemberAlert } from '../../src/domain/alerting/alert.js';
import type { RedisServerProcess } from '../../src/demo/redis-server-process.js';
import { alertQueuesSettled } from '../support/alert-queues.js';
import { HttpReceiver } from '../support/http-receiver.js';
import { pagerSecret } from '../support/pager-config.js';
import { RecordingLogger } from '../support/recording-logger.js';
import { useRedisServer } from '../support/redis-harness.js';
import { waitFor } from '../support/wait-for.js';

const queueNames = ['orders', 'emails', 'reports'];
const instanceId = 'redis-outage-alerts';

/**
 * Inhibition during a Redis outage, through the whole stack: Queuewatch in this process on the
 * test's own redis-server, three queues with real BullMQ workers, every rule an outage could trip
 * set to trip at once, and a real webhook receiver. Redis is killed and kept away across several
 * rule evaluations, then started again: the receiver gets one Redis alert, firing then resolved,
 * and no queue alert at all.
 */
describe('fault: inhibition during a Redis outage (real Redis stopped and started, real workers, a real webhook receiver)', () => {
  const closers: (() => unknown)[] = [];
  let dir: string;
  let receiver: HttpReceiver;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'qw-redis-outage-'));
    receiver = await HttpReceiver.start();
    receiver.fallback = { status: 204 };
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await receiver.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function start(
    redis: RedisServerProcess,
    instance = instanceId,
  ): Promise<RunningQueuewatch> {
    const path = join(dir, 'queuewatch.json');
    await writeFile(
      path,
      JSON.stringify({
        queues: [
          { name: 'orders', priority: 'critical' },
          { name: 'emails', priority: 'high' },
          { name: 'reports', priority: 'low' },
        ],
        alerts: {
          evaluateIntervalMs: 200,
          // One failed job would fire: a failure read from a broken connection would show.
          failureThreshold: { count: 1, windowMs: 600_000, clearCount: 0 },
          rules: {
            'redis-down': { forMs: 0 },
            'no-workers': { forMs: 0 },
            backlog: { count: 1, forMs: 0 },
            'event-gap': {},
          },
          delivery: { attempts: 20, baseDelayMs: 100, maxDelayMs: 1_000 },
          route: { groupWaitMs: 0, groupIntervalMs: 300 },
          destinations: [
            { name: 'pager', type: 'webhook', url: `${receiver.url}/hook`, secret: pagerSecret },
          ],
        },
      }),
    );
    const config = await loadConfig({
      REDIS_URL: redis.url,
      PORT: '0',
      QUEUEWATCH_QUEUES: queueNames.join(','),
      QUEUEWATCH_CONFIG: path,
      QUEUEWATCH_INSTANCE_ID: instance,
      QUEUEWATCH_HEALTH_CACHE_MS: '0',
      QUEUEWATCH_HEALTH_QUIET_REFRESH_MS: '0',
    });
    const app = await startQueuewatch(config, { logger: new RecordingLogger() });
    closers.push(() => app.stop());
    return app;
  }

  /** A queue and a worker that completes every job at once. */
  function queueWithWorker(redis: RedisServerProcess, name: string): Queue {
    const queue = new Queue(name, { connection: { url: redis.url } });
    const worker = new Worker(name, () => Promise.resolve('ok'), {
      connection: { url: redis.url },
      concurrency: 4,
    });
    // The outage is the point: the connection errors it brings are expected.
    queue.on('error', () => undefined);
    worker.on('error', () => undefined);
    // Forced: a graceful close hangs while BullMQ is still reconnecting after a Redis restart.
    closers.push(
      () => queue.close(),
      () => worker.close(true),
    );
    return queue;
  }

  /** Every alert the receiver got, a grouped notification's members one by one, in order. */
  function received(): MemberAlert[] {
    return receiver.requests.flatMap((request) => {
      const data = (JSON.parse(request.body) as { data: Alert }).data;
      return data.alerts ?? [data];
    });
  }

  async function notice(rule: string, status: 'firing' | 'resolved'): Promise<MemberAlert> {
    const matches = (alert: MemberAlert): boolean => alert.rule === rule && alert.status === status;
    const all = await waitFor(
      `a ${status} ${rule} notice at the receiver`,
      received,
      (alerts) => alerts.some(matches),
      30_000,
    );
    return all.find(matches)!;
  }

  async function health(app: RunningQueuewatch): Promise<HealthReportBody> {
    return (await (await fetch(`${app.url}/api/v1/health/queues`)).json()) as HealthReportBody;
  }

  /** Wait until every queue has a connected worker, as Queuewatch counts them. */
  async function workersConnected(app: RunningQueuewatch): Promise<void> {
    await waitFor(
      'a connected worker on every queue',
      () => health(app),
      (body) =>
        queueNames.every(
          (name) =>
            (body.queues.find((queue) => queue.queueName === name)?.details?.workerCount ?? 0) >= 1,
        ),
      30_000,
    );
  }

  /** Add three jobs to each queue and wait until its worker has completed `total` in all. */
  async function workDone(queues: readonly Queue[], prefix: string, total: number): Promise<void> {
    for (const queue of queues) {
      await queue.addBulk(
        [0, 1, 2].map((index) => ({
          name: 'work',
          data: {},
          opts: { jobId: `${prefix}-${String(index)}` },
        })),
      );
    }
    await waitFor(
      `${String(total)} completed jobs on every queue`,
      () =>
        Promise.all(queues.map((queue) => queue.getJobCounts('completed', 'waiting', 'active'))),
      (counts) =>
        counts.every((count) => count.completed === total && count.waiting === 0 && !count.active),
      30_000,
    );
  }

  /** What an outage leaves for the test to check after Redis is back. */
  interface Outage {
    readonly app: RunningQueuewatch;
    readonly queues: readonly Queue[];
    readonly rules: ConditionRules;
    readonly firing: MemberAlert;
    /** Wait until `count` more evaluation rounds have run to the end. */
    readonly moreRounds: (what: string, count: number) => Promise<void>;
  }

  /**
   * Start Queuewatch and the workers, let every queue work and be read, then stop Redis: returns
   * once the redis-down firing notice has arrived and Redis has stayed away across several
   * evaluations (seen by the health endpoint too), with Redis started again.
   */
  /** The app's rules, counting the evaluation rounds that ran to the end (each judged them). */
  function countRounds(app: RunningQueuewatch) {
    const rules = resolve(app.container, TOKENS.ConditionRules);
    let rounds = 0;
    const evaluateAll = rules.evaluateAll.bind(rules);
    rules.evaluateAll = async () => {
      await evaluateAll();
      rounds += 1;
    };
    const moreRounds = async (what: string, count: number): Promise<void> => {
      const mark = rounds;
      await waitFor(
        `${String(count)} rule evaluations ${what}`,
        () => rounds,
        (done) => done >= mark + count,
        30_000,
      );
    };
    return { rules, rounds: () => rounds, moreRounds };
  }

  async function outage(redis: RedisServerProcess): Promise<Outage> {
    const app = await start(redis);
    const counted = countRounds(app);
    const { rules, moreRounds } = counted;

    const queues = queueNames.map((name) => queueWithWorker(redis, name));
    await workDone(queues, 'before', 3);
    await workersConnected(app);
    // The reader has read every queue's events: a gap after the restart would be found.
    const admin = new Redis(redis.url);
    let runId: string | undefined;
    try {
      await waitFor(
        'a checkpoint of every queue’s event stream',
        () => admin.hgetall(`queuewatch:checkpoints:${instanceId}`),
        (checkpoints) => queueNames.every((name) => checkpoints[name] !== undefined),
      );
      runId = /^run_id:(\w+)/m.exec(await admin.info('server'))?.[1];
    } finally {
      admin.disconnect();
    }
    await moreRounds('with every queue healthy', 3);
    expect(receiver.requests, 'nothing fires while all is well').to.have.length(0);

    await redis.stop();
    const firing = await notice('redis-down', 'firing');
    expect(firing).to.deep.include({
      severity: 'critical',
      title: 'Redis is unreachable',
      context: { queueName: 'redis' },
    });
    // Named after the Redis process that went away: every instance that read it names it so.
    expect(firing.id).to.equal(`redis-down/redis/${runId ?? 'no run_id'}`);
    // Redis stays away across several evaluations, each seen by the health endpoint too.
    let unreachable = 0;
    const mark = counted.rounds();
    await waitFor(
      'Redis reported unreachable three times and five evaluations during the outage',
      async () => {
        const body = await health(app);
        if (body.redis.issues.some((issue) => issue.code === 'REDIS_UNREACHABLE')) {
          unreachable += 1;
        }
        return { unreachable, rounds: counted.rounds() };
      },
      (seen) => seen.unreachable >= 3 && seen.rounds >= mark + 5,
      30_000,
    );
    expect(rules.firingNow().map((alert) => alert.rule)).to.deep.equal(['redis-down']);
    await redis.start();
    return { app, queues, rules, firing, moreRounds };
  }

  describe('having Redis keep its data (append-only file) across the restart', () => {
    const redis = useRedisServer({ persistence: 'append-only' });

    beforeEach(async () => {
      const admin = new Redis(redis().url);
      await admin.flushall();
      admin.disconnect();
    });

    it('should send one Redis alert, firing then resolved, and no queue alert', async function () {
      this.timeout(120_000);
      const { app, queues, rules, firing, moreRounds } = await outage(redis());
      const resolved = await notice('redis-down', 'resolved');
      expect(resolved.id).to.equal(firing.id);

      // The workers are back and work again, and the rules are judged on what they do.
      await workersConnected(app);
      await workDone(queues, 'after', 6);
      await moreRounds('after the restart, the workers back', 5);
      expect(rules.firingNow()).to.deep.equal([]);
      const report = await health(app);
      expect(
        report.queues.flatMap((queue) => queue.issues.map((issue) => issue.code)),
        'no events found lost: Redis kept its data',
      ).to.not.include('EVENTS_MISSED');
      await alertQueuesSettled(redis().url);

      expect(received().map((alert) => `${alert.rule}:${alert.status}:${alert.id}`)).to.deep.equal([
        `redis-down:firing:${firing.id}`,
        `redis-down:resolved:${firing.id}`,
      ]);
      expect(receiver.requests).to.have.length(2);
      expect(received().filter((alert) => alert.labels.queue !== undefined)).to.deep.equal([]);
    });
  });

  describe('having Redis come back empty (no persistence)', () => {
    const redis = useRedisServer();

    /**
     * Here a queue alert is due after the restart, for a real reason: Redis lost every event the
     * reader had not read, and event-gap says so for each queue. It comes after the outage ended
     * (the redis-down resolved notice), never during it; nothing else fires.
     */
    it('should send no queue alert during the outage, and event-gap for each queue once Redis is back without its data', async function () {
      this.timeout(120_000);
      const { app, queues, rules, firing, moreRounds } = await outage(redis());
      const resolved = await notice('redis-down', 'resolved');
      expect(resolved.id).to.equal(firing.id);
      const resolvedAt = received().indexOf(resolved);

      await waitFor(
        'event-gap firing for every queue',
        received,
        (alerts) =>
          queueNames.every((name) =>
            alerts.some(
              (alert) =>
                alert.rule === 'event-gap' &&
                alert.status === 'firing' &&
                alert.context.queueName === name,
            ),
          ),
        30_000,
      );
      await workersConnected(app);
      await workDone(queues, 'after', 3);
      await moreRounds('after the restart, the workers back', 5);
      expect(
        rules
          .firingNow()
          .map((alert) => `${alert.rule}/${String(alert.queueName)}`)
          .sort(),
      ).to.deep.equal(queueNames.map((name) => `event-gap/${name}`).sort());
      await alertQueuesSettled(redis().url);

      const alerts = received();
      expect(
        alerts.map((alert) => `${alert.rule}:${alert.status}:${alert.context.queueName}`).sort(),
      ).to.deep.equal([
        'event-gap:firing:emails',
        'event-gap:firing:orders',
        'event-gap:firing:reports',
        'redis-down:firing:redis',
        'redis-down:resolved:redis',
      ]);
      const queueAlerts = alerts.flatMap((alert, index) =>
        alert.labels.queue === undefined ? [] : [index],
      );
      expect(Math.min(...queueAlerts), 'every queue alert came after the outage ended').to.be.above(
        resolvedAt,
      );
    });
  });

  describe('having two instances watch the same Redis', () => {
    const redis = useRedisServer();

    it('should have each send its own redis-down notice, under one incident id named after the Redis process', async function () {
      this.timeout(60_000);
      const instances = await Promise.all(
        ['outage-a', 'outage-b'].map(async (instance) =>
          countRounds(await start(redis(), instance)),
        ),
      );
      // Both have judged the rules with Redis up, so both read which Redis process it is.
      for (const { moreRounds } of instances) await moreRounds('with Redis up', 2);
      const admin = new Redis(redis().url);
      const runId = /^run_id:(\w+)/m.exec(await admin.info('server'))?.[1];
      admin.disconnect();

      await redis().stop();
      try {
        const firing = await waitFor(
          'a redis-down notice from each instance',
          () => received().filter((alert) => alert.rule === 'redis-down'),
          (alerts) => alerts.length >= 2,
          30_000,
        );
        expect(firing.map((alert) => `${alert.status}:${alert.id}`)).to.deep.equal([
          `firing:redis-down/redis/${runId ?? 'no run_id'}`,
          `firing:redis-down/redis/${runId ?? 'no run_id'}`,
        ]);
      } finally {
        await redis().start();
      }
    });
  });
});
