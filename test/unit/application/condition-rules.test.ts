import { expect } from 'chai';
import {
  ConditionRules,
  type ConditionRulesParts,
} from '../../../src/application/alerting/condition-rules.js';
import type { QueueForecastBody } from '../../../src/application/contract/forecast.js';
import type {
  HealthReportBody,
  QueueHealthBody,
} from '../../../src/application/contract/health.js';
import type { HistoryTotals } from '../../../src/application/ports/history-store.port.js';
import type { MonitoredQueue } from '../../../src/application/queues/monitored-queues.js';
import { PendingWrites } from '../../../src/application/writes/pending-writes.js';
import type { Alert } from '../../../src/domain/alerting/alert.js';
import {
  defaultConditionRules,
  type ConditionRuleOf,
  type ConditionRuleType,
  type QueueConditionRule,
  type RedisConditionRule,
} from '../../../src/domain/alerting/condition-rules.js';
import { defaultFailureThreshold } from '../../../src/domain/alerting/failure-rule.js';
import type { HistorySample } from '../../../src/domain/history/history-series.js';
import { bucketOf } from '../../../src/domain/history/latency-histogram.js';
import { defaultHealthThresholds } from '../../../src/domain/queue-health/index.js';
import { healthyRedis, StaticRedisProbe } from '../../support/fake-ports.js';
import { FixedClock } from '../../support/fixed-clock.js';
import { ManualTimer, settle } from '../../support/manual-timer.js';
import { RecordingLogger } from '../../support/recording-logger.js';

function rule<T extends ConditionRuleType>(
  type: T,
  overrides: Partial<ConditionRuleOf<T>> = {},
): ConditionRuleOf<T> {
  return { ...defaultConditionRules[type], ...overrides };
}

/** Records the notices it is given; `refusals` fail first, `hold` keeps them unanswered. */
class RecordingDispatcher {
  readonly calls: { kind: 'firing' | 'resolved'; key: string; alert: Alert }[] = [];
  refusals = 0;
  hold: Promise<void> | null = null;
  async firing(key: string, alert: Alert): Promise<string> {
    await this.answer();
    this.calls.push({ kind: 'firing', key, alert });
    return alert.id;
  }
  async resolved(key: string, alert: Alert): Promise<void> {
    await this.answer();
    this.calls.push({ kind: 'resolved', key, alert });
  }
  private async answer(): Promise<void> {
    if (this.hold) await this.hold;
    if (this.refusals > 0) {
      this.refusals -= 1;
      throw new Error('OOM command not allowed');
    }
  }
}

/** What the fakes answer; the test changes it between evaluations. */
interface World {
  waiting: number;
  paused: boolean;
  workers: number | null;
  staleJobs: number;
  /** `null`: the queue could not be read. */
  readable: boolean;
  healthFails: boolean;
  oldestWaitingAt: number | null;
  waits: HistorySample['wait'];
  drain: QueueForecastBody['drain'];
  backlog: number;
  lastGapAt: number | null;
}

function queueBody(world: World): QueueHealthBody {
  if (!world.readable) {
    return { queueName: 'payments', status: 'unhealthy', stats: null, details: null, issues: [] };
  }
  return {
    queueName: 'payments',
    status: 'healthy',
    stats: {
      waiting: world.waiting,
      active: 0,
      completed: 0,
      failed: 0,
      delayed: 0,
      paused: world.paused ? world.waiting : 0,
      prioritized: 0,
      waitingChildren: 0,
    },
    details: {
      isRunning: world.workers === null ? null : world.workers > 0,
      isPaused: world.paused,
      workerCount: world.workers,
      processingCapacity: null,
      avgProcessingTime: null,
      errorRate: null,
      finishedInWindow: { completed: 0, failed: 0 },
      staleJobs: world.staleJobs,
      lastJobProcessed: null,
    },
    issues: [],
  };
}

function setup(
  rules: readonly QueueConditionRule[],
  redisRules: readonly RedisConditionRule[] = [],
  historyEnabled = true,
) {
  const clock = new FixedClock(Date.UTC(2024, 0, 1, 10, 0, 30));
  const timer = new ManualTimer();
  const logger = new RecordingLogger();
  const dispatcher = new RecordingDispatcher();
  const probe = new StaticRedisProbe();
  const world: World = {
    waiting: 0,
    paused: false,
    workers: 1,
    staleJobs: 0,
    readable: true,
    healthFails: false,
    oldestWaitingAt: null,
    waits: new Map(),
    drain: { status: 'empty' },
    backlog: 0,
    lastGapAt: null,
  };
  let healthChecks = 0;
  const queue: MonitoredQueue = {
    name: 'payments',
    priority: 'high',
    thresholds: defaultHealthThresholds.queue,
    failureThreshold: defaultFailureThreshold,
    labels: { team: 'billing' },
    rules,
  };
  const parts: ConditionRulesParts = {
    queues: { list: () => [queue] },
    health: {
      check: () => {
        healthChecks += 1;
        if (world.healthFails) return Promise.reject(new Error('Command timed out'));
        return Promise.resolve({ queues: [queueBody(world)] } as unknown as HealthReportBody);
      },
    },
    forecasts: {
      forecast: () =>
        Promise.resolve({
          backlog: world.backlog,
          drain: world.drain,
        } as unknown as QueueForecastBody),
    },
    history: {
      read: (_name, _step, starts) =>
        Promise.resolve([{ at: starts.at(-1) ?? 0, wait: world.waits } as HistorySample]),
      totals: () =>
        Promise.resolve(
          new Map([['payments', { oldestWaitingAt: world.oldestWaitingAt } as HistoryTotals]]),
        ),
    },
    gaps: { lastGapAt: () => world.lastGapAt },
    redis: probe,
    dispatcher,
    writes: new PendingWrites(clock, timer, logger, { firstDelayMs: 100, maxDelayMs: 1_000 }),
    clock,
    timer,
    logger,
  };
  const conditions = new ConditionRules(parts, {
    evaluateIntervalMs: 5_000,
    repeatIntervalMs: 3_600_000,
    redisRules,
    anyRules: rules.length + redisRules.length > 0,
    historyEnabled,
  });
  const evaluate = async (): Promise<void> => {
    await conditions.evaluateAll();
    await settle();
  };
  return {
    clock,
    timer,
    dispatcher,
    probe,
    world,
    conditions,
    evaluate,
    logger,
    healthChecks: () => healthChecks,
  };
}

const kinds = (dispatcher: RecordingDispatcher) =>
  dispatcher.calls.map(({ kind, alert }) => `${kind} ${alert.rule}`);

describe('ConditionRules', () => {
  describe('.evaluateAll', () => {
    describe('having a backlog rule of 10 held for 10 s', () => {
      const backlog = rule('backlog', { count: 10, clearCount: 5, forMs: 10_000 });

      it('should fire once the breach has held, with the queue priority, labels and values', async () => {
        const { world, clock, evaluate, dispatcher } = setup([backlog]);
        world.waiting = 11;
        await evaluate();
        clock.advance(5_000);
        await evaluate();
        expect(dispatcher.calls).to.have.length(0);
        clock.advance(5_000);
        await evaluate();
        expect(kinds(dispatcher)).to.deep.equal(['firing backlog']);
        const { key, alert } = dispatcher.calls[0]!;
        expect(key).to.equal('backlog/payments');
        expect(alert).to.deep.include({
          id: `backlog/payments/${String(clock.now())}`,
          severity: 'high',
          title: 'Backlog above 10 on payments',
          link: '/queues/payments',
          context: { queueName: 'payments' },
          labels: { team: 'billing', rule: 'backlog', severity: 'high', queue: 'payments' },
        });
        expect(alert.values).to.include({ waiting: 11, count: 10 });
      });

      it('should resolve at the clear level only, with the same incident id', async () => {
        const { world, clock, evaluate, dispatcher } = setup([{ ...backlog, forMs: 0 }]);
        world.waiting = 11;
        await evaluate();
        world.waiting = 8;
        clock.advance(5_000);
        await evaluate();
        expect(kinds(dispatcher)).to.deep.equal(['firing backlog']);
        world.waiting = 5;
        clock.advance(5_000);
        await evaluate();
        expect(kinds(dispatcher)).to.deep.equal(['firing backlog', 'resolved backlog']);
        const [firing, resolved] = dispatcher.calls;
        expect(resolved?.alert.id).to.equal(firing?.alert.id);
        expect(resolved?.alert.values).to.include({ waiting: 5 });
        expect(resolved?.alert.endsAt).to.equal(new Date(clock.now()).toISOString());
      });

      it('should keep its state while the queue cannot be read or the health check fails', async () => {
        const { world, clock, evaluate, dispatcher } = setup([{ ...backlog, forMs: 0 }]);
        world.waiting = 11;
        await evaluate();
        world.readable = false;
        world.waiting = 0;
        clock.advance(5_000);
        await evaluate();
        world.readable = true;
        world.healthFails = true;
        clock.advance(5_000);
        await evaluate();
        expect(kinds(dispatcher)).to.deep.equal(['firing backlog']);
        world.healthFails = false;
        await evaluate();
        expect(kinds(dispatcher)).to.deep.equal(['firing backlog', 'resolved backlog']);
      });
    });

    describe('having Redis unreachable', () => {
      it('should fire redis-down and not judge any queue rule until Redis answers', async () => {
        const { world, probe, clock, evaluate, dispatcher, healthChecks } = setup(
          [rule('backlog', { count: 10, clearCount: 5, forMs: 0 })],
          [rule('redis-down', { forMs: 0 })],
        );
        world.waiting = 11;
        await evaluate();
        expect(kinds(dispatcher)).to.deep.equal(['firing backlog']);
        probe.snapshot = {
          reachable: false,
          connectionStatus: 'reconnecting',
          reason: 'connect ECONNREFUSED',
        };
        world.waiting = 0;
        clock.advance(5_000);
        await evaluate();
        const checks = healthChecks();
        clock.advance(5_000);
        await evaluate();
        expect(healthChecks()).to.equal(checks);
        expect(kinds(dispatcher)).to.deep.equal(['firing backlog', 'firing redis-down']);
        const down = dispatcher.calls[1]!;
        expect(down.key).to.equal('redis-down/redis');
        expect(down.alert).to.deep.include({
          severity: 'critical',
          link: '/',
          context: { queueName: 'redis' },
          labels: { rule: 'redis-down', severity: 'critical' },
        });
        expect(down.alert.values).to.include({
          reachable: false,
          connectionStatus: 'reconnecting',
        });

        probe.snapshot = healthyRedis();
        clock.advance(5_000);
        await evaluate();
        expect(kinds(dispatcher)).to.deep.equal([
          'firing backlog',
          'firing redis-down',
          'resolved redis-down',
          'resolved backlog',
        ]);
      });

      it('should name the incident after the Redis process that went away, the same on every instance', async () => {
        const instances = [
          setup([], [rule('redis-down', { forMs: 0 })]),
          setup([], [rule('redis-down', { forMs: 0 })]),
        ];
        const down = {
          reachable: false,
          connectionStatus: 'reconnecting',
          reason: 'down',
        } as const;
        const firingIds = () =>
          instances.map(({ dispatcher }) =>
            dispatcher.calls.filter((call) => call.kind === 'firing').map((call) => call.alert.id),
          );
        for (const [index, { probe, clock, evaluate }] of instances.entries()) {
          probe.snapshot = healthyRedis({ runId: 'a1b2c3' });
          await evaluate();
          // Each instance sees the outage at a moment of its own.
          probe.snapshot = down;
          clock.advance(1_000 + index * 3_217);
          await evaluate();
        }
        expect(firingIds()).to.deep.equal([
          ['redis-down/redis/a1b2c3'],
          ['redis-down/redis/a1b2c3'],
        ]);

        // Back, restarted (a new run_id), and gone again: a new incident, again the same for both.
        for (const { probe, clock, evaluate, conditions } of instances) {
          probe.snapshot = healthyRedis({ runId: 'd4e5f6' });
          clock.advance(5_000);
          await evaluate();
          probe.snapshot = down;
          clock.advance(5_000);
          await evaluate();
          await conditions.settled();
        }
        const resolved = instances.map(({ dispatcher }) =>
          dispatcher.calls.filter((call) => call.kind === 'resolved').map((call) => call.alert.id),
        );
        expect(resolved).to.deep.equal([['redis-down/redis/a1b2c3'], ['redis-down/redis/a1b2c3']]);
        expect(firingIds().map((ids) => ids[1])).to.deep.equal([
          'redis-down/redis/d4e5f6',
          'redis-down/redis/d4e5f6',
        ]);
      });

      it('should name the incident after its start when Redis was never read', async () => {
        const { probe, clock, evaluate, dispatcher } = setup(
          [],
          [rule('redis-down', { forMs: 0 })],
        );
        probe.snapshot = { reachable: false, connectionStatus: 'reconnecting', reason: 'down' };
        await evaluate();
        expect(dispatcher.calls[0]?.alert.id).to.equal(`redis-down/redis/${String(clock.now())}`);
      });

      it('should not wait for a notice that hangs, and keep notices of one incident in order', async () => {
        const { probe, clock, evaluate, dispatcher, conditions } = setup(
          [],
          [rule('redis-down', { forMs: 0 })],
        );
        let answer = (): void => undefined;
        dispatcher.hold = new Promise((resolve) => (answer = resolve));
        probe.snapshot = { reachable: false, connectionStatus: 'reconnecting', reason: 'down' };
        await evaluate();
        probe.snapshot = healthyRedis();
        clock.advance(5_000);
        await evaluate();
        expect(dispatcher.calls).to.have.length(0);
        expect(conditions.firingNow()).to.have.length(0);
        dispatcher.hold = null;
        answer();
        await conditions.settled();
        expect(kinds(dispatcher)).to.deep.equal(['firing redis-down', 'resolved redis-down']);
      });

      it('should retry a refused notice until Redis takes it, showing it as pending', async () => {
        const { probe, evaluate, dispatcher, conditions, timer } = setup(
          [],
          [rule('redis-down', { forMs: 0 })],
        );
        dispatcher.refusals = 2;
        probe.snapshot = { reachable: false, connectionStatus: 'reconnecting', reason: 'down' };
        await evaluate();
        expect(conditions.firingNow()[0]).to.include({
          rule: 'redis-down',
          queueName: null,
          notification: 'pending',
          incidentId: null,
        });
        await timer.elapse();
        await timer.elapse();
        await conditions.settled();
        expect(kinds(dispatcher)).to.deep.equal(['firing redis-down']);
        expect(conditions.firingNow()[0]).to.include({ notification: 'queued' });
      });
    });

    it('should judge redis-memory against maxmemory', async () => {
      const { probe, evaluate, dispatcher } = setup([], [rule('redis-memory', { forMs: 0 })]);
      probe.snapshot = healthyRedis({ usedMemoryBytes: 95, maxMemoryBytes: 100 });
      await evaluate();
      probe.snapshot = healthyRedis({ usedMemoryBytes: 95, maxMemoryBytes: 0 });
      await evaluate();
      expect(kinds(dispatcher)).to.deep.equal(['firing redis-memory', 'resolved redis-memory']);
      expect(dispatcher.calls[0]?.alert.values).to.include({ usedFraction: 0.95, fraction: 0.9 });
    });

    it('should read the oldest waiting job, the p95 wait and the drain from history and forecast', async () => {
      const { world, clock, evaluate, dispatcher } = setup([
        rule('oldest-waiting', { ageMs: 60_000, clearAgeMs: 30_000 }),
        rule('wait-p95', { ms: 1_000, clearMs: 500 }),
        rule('drain-time', { seconds: 600, clearSeconds: 480, forMs: 0 }),
      ]);
      world.oldestWaitingAt = clock.now() - 120_000;
      world.waits = new Map([[bucketOf(5_000), 20]]);
      world.drain = { status: 'no-workers' };
      world.backlog = 12;
      await evaluate();
      expect(kinds(dispatcher)).to.deep.equal([
        'firing oldest-waiting',
        'firing wait-p95',
        'firing drain-time',
      ]);
      expect(dispatcher.calls[0]?.alert.values).to.include({ oldestWaitingMs: 120_000 });
      expect(dispatcher.calls[2]?.alert.values).to.include({
        drainStatus: 'no-workers',
        backlog: 12,
      });
      world.oldestWaitingAt = null;
      world.waits = new Map([[bucketOf(10), 100]]);
      world.drain = { status: 'empty' };
      world.backlog = 0;
      await evaluate();
      expect(kinds(dispatcher).slice(3)).to.deep.equal([
        'resolved oldest-waiting',
        'resolved wait-p95',
        'resolved drain-time',
      ]);
    });

    it('should not judge the rules that read the history while it is off, and say so', async () => {
      const { world, clock, evaluate, dispatcher, conditions, logger } = setup(
        [rule('oldest-waiting', { ageMs: 60_000, clearAgeMs: 30_000 }), rule('wait-p95')],
        [],
        false,
      );
      world.oldestWaitingAt = clock.now() - 120_000;
      world.waits = new Map([[bucketOf(500_000), 20]]);
      await evaluate();
      expect(dispatcher.calls).to.have.length(0);
      conditions.start();
      expect(logger.lines.find((line) => line.level === 'warn')?.context).to.deep.equal({
        rules: ['oldest-waiting', 'wait-p95'],
      });
      await conditions.stop();
    });

    it('should read no-workers, stalled jobs, the pause and event gaps', async () => {
      const { world, clock, evaluate, dispatcher } = setup([
        rule('no-workers', { forMs: 0 }),
        rule('stalled'),
        rule('queue-paused'),
        rule('event-gap', { windowMs: 60_000 }),
      ]);
      Object.assign(world, {
        workers: 0,
        waiting: 3,
        staleJobs: 1,
        paused: true,
        lastGapAt: clock.now(),
      });
      await evaluate();
      expect(kinds(dispatcher)).to.deep.equal([
        'firing no-workers',
        'firing stalled',
        'firing queue-paused',
        'firing event-gap',
      ]);
      const paused = dispatcher.calls[2]!.alert;
      expect(paused).to.deep.include({ severity: 'low', notify: false });
      Object.assign(world, { workers: 1, staleJobs: 0, paused: false });
      clock.advance(60_000);
      await evaluate();
      expect(kinds(dispatcher).slice(4)).to.deep.equal([
        'resolved no-workers',
        'resolved stalled',
        'resolved queue-paused',
        'resolved event-gap',
      ]);
    });
  });

  describe('.start', () => {
    it('should evaluate on the evaluation interval, and stop', async () => {
      const { timer, conditions } = setup([rule('queue-paused')]);
      conditions.start();
      expect(timer.periods).to.deep.equal([5_000]);
      await conditions.stop();
      expect(timer.periods).to.deep.equal([]);
    });

    it('should run nothing when no rule is configured', () => {
      const { timer, conditions } = setup([]);
      conditions.start();
      expect(timer.periods).to.deep.equal([]);
    });

    it('should log a round that failed and go on', async () => {
      const { timer, conditions, probe, logger } = setup([rule('queue-paused')]);
      probe.probe = () => Promise.reject(new Error('probe broke'));
      conditions.start();
      timer.tick(5_000);
      await settle();
      expect(logger.lines.map((line) => line.message)).to.include(
        'condition rules could not be judged; trying again',
      );
      await conditions.stop();
    });
  });
});
