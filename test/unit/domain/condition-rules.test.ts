import { expect } from 'chai';
import { conditionAlert, count, duration } from '../../../src/domain/alerting/condition-alert.js';
import {
  readCondition,
  waitP95Of,
  waitWindowStarts,
} from '../../../src/domain/alerting/condition-reading.js';
import {
  defaultConditionRules,
  type ConditionRule,
  type ConditionRuleOf,
  type ConditionRuleType,
} from '../../../src/domain/alerting/condition-rules.js';
import {
  quietHeldState,
  stepHeldAlert,
  type HeldAlertState,
} from '../../../src/domain/alerting/held-alert.js';
import { bucketOf } from '../../../src/domain/history/latency-histogram.js';

const now = 1_700_000_000_000;

function rule<T extends ConditionRuleType>(
  type: T,
  overrides: Partial<ConditionRuleOf<T>> = {},
): ConditionRuleOf<T> {
  return { ...defaultConditionRules[type], ...overrides };
}

const breach = { breached: true, cleared: false };
const clear = { breached: false, cleared: true };
const between = { breached: false, cleared: false };

describe('stepHeldAlert', () => {
  const times = { forMs: 30_000, repeatIntervalMs: 3_600_000 };

  it('should fire only once the breach has held forMs', () => {
    const first = stepHeldAlert(quietHeldState, breach, now, times);
    expect(first.transition).to.equal(null);
    expect(first.state.breachedSince).to.equal(now);
    const early = stepHeldAlert(first.state, breach, now + 29_999, times);
    expect(early.transition).to.equal(null);
    const held = stepHeldAlert(early.state, breach, now + 30_000, times);
    expect(held.transition).to.equal('fire');
    expect(held.state.alert).to.deep.include({ status: 'firing', since: now + 30_000 });
  });

  it('should start the hold again after a reading that is not a breach', () => {
    let state: HeldAlertState = stepHeldAlert(quietHeldState, breach, now, times).state;
    state = stepHeldAlert(state, between, now + 10_000, times).state;
    expect(state.breachedSince).to.equal(null);
    state = stepHeldAlert(state, breach, now + 20_000, times).state;
    const step = stepHeldAlert(state, breach, now + 40_000, times);
    expect(step.transition).to.equal(null);
    expect(stepHeldAlert(step.state, breach, now + 50_000, times).transition).to.equal('fire');
  });

  it('should fire on the first breach with forMs 0', () => {
    expect(stepHeldAlert(quietHeldState, breach, now, { ...times, forMs: 0 }).transition).to.equal(
      'fire',
    );
  });

  it('should stay firing between the levels and resolve only at the clear level', () => {
    const fired = stepHeldAlert(quietHeldState, breach, now, { ...times, forMs: 0 }).state;
    const still = stepHeldAlert(fired, between, now + 1_000, times);
    expect(still.transition).to.equal(null);
    expect(still.state.alert.status).to.equal('firing');
    const resolved = stepHeldAlert(still.state, clear, now + 2_000, times);
    expect(resolved.transition).to.equal('resolve');
    expect(resolved.state).to.deep.equal(quietHeldState);
  });

  it('should repeat a firing alert after the repeat interval', () => {
    const fired = stepHeldAlert(quietHeldState, breach, now, { ...times, forMs: 0 }).state;
    expect(stepHeldAlert(fired, breach, now + 3_600_000, times).transition).to.equal('repeat');
  });
});

describe('readCondition', () => {
  describe('having a backlog rule of 1,000 (clears at 800)', () => {
    const backlog = rule('backlog', { count: 1_000, clearCount: 800 });
    it('should breach above the count, hold between the levels and clear at the clear level', () => {
      expect(readCondition(backlog, { waiting: 1_001 }, now)).to.deep.include(breach);
      expect(readCondition(backlog, { waiting: 1_000 }, now)).to.deep.include(between);
      expect(readCondition(backlog, { waiting: 800 }, now)).to.deep.include(clear);
    });
    it('should carry the measured value and the levels', () => {
      expect(readCondition(backlog, { waiting: 1_523 }, now)?.values).to.deep.equal({
        waiting: 1_523,
        count: 1_000,
        clearCount: 800,
        forMs: 60_000,
      });
    });
    it('should not judge a queue whose counts were not read', () => {
      expect(readCondition(backlog, {}, now)).to.equal(null);
    });
  });

  it('should judge the oldest waiting job by its age, and clear when none waits', () => {
    const oldest = rule('oldest-waiting', { ageMs: 60_000, clearAgeMs: 30_000 });
    expect(readCondition(oldest, { oldestWaitingAt: now - 61_000 }, now)).to.deep.include({
      ...breach,
      values: { oldestWaitingMs: 61_000, ageMs: 60_000, clearAgeMs: 30_000, forMs: 0 },
    });
    expect(readCondition(oldest, { oldestWaitingAt: now - 45_000 }, now)).to.deep.include(between);
    expect(readCondition(oldest, { oldestWaitingAt: null }, now)).to.deep.include(clear);
    expect(readCondition(oldest, {}, now)).to.equal(null);
  });

  it('should judge the p95 wait, and clear when no job started in the window', () => {
    const p95 = rule('wait-p95', { ms: 1_000, clearMs: 500 });
    expect(readCondition(p95, { waitP95Ms: 1_200 }, now)).to.deep.include(breach);
    expect(readCondition(p95, { waitP95Ms: 700 }, now)).to.deep.include(between);
    expect(readCondition(p95, { waitP95Ms: null }, now)).to.deep.include(clear);
  });

  describe('having a drain-time rule of 600 s', () => {
    const drain = rule('drain-time', { seconds: 600, clearSeconds: 480 });
    it('should breach on a long drain and on a backlog that will not drain', () => {
      const slow = { status: 'draining' as const, seconds: 601, backlog: 50 };
      expect(readCondition(drain, { drain: slow }, now)).to.deep.include(breach);
      for (const status of ['growing', 'no-workers'] as const) {
        expect(
          readCondition(drain, { drain: { status, seconds: null, backlog: 5 } }, now),
          status,
        ).to.deep.include(breach);
      }
    });
    it('should clear when the backlog is empty or drains soon, and not judge an unknown drain', () => {
      expect(
        readCondition(drain, { drain: { status: 'empty', seconds: null, backlog: 0 } }, now),
      ).to.deep.include(clear);
      expect(
        readCondition(drain, { drain: { status: 'draining', seconds: 60, backlog: 5 } }, now),
      ).to.deep.include(clear);
      expect(
        readCondition(drain, { drain: { status: 'unknown', seconds: null, backlog: 5 } }, now),
      ).to.equal(null);
    });
  });

  it('should breach no-workers only while jobs wait and none is connected', () => {
    const none = rule('no-workers');
    expect(readCondition(none, { workers: 0, waiting: 3 }, now)).to.deep.include(breach);
    expect(readCondition(none, { workers: 0, waiting: 0 }, now)).to.deep.include(clear);
    expect(readCondition(none, { workers: 2, waiting: 3 }, now)).to.deep.include(clear);
    expect(readCondition(none, { workers: null, waiting: 3 }, now)).to.equal(null);
  });

  it('should breach stalled at the count of stale jobs', () => {
    const stalled = rule('stalled', { count: 2, clearCount: 0 });
    expect(readCondition(stalled, { staleJobs: 2 }, now)).to.deep.include(breach);
    expect(readCondition(stalled, { staleJobs: 1 }, now)).to.deep.include(between);
    expect(readCondition(stalled, { staleJobs: 0 }, now)).to.deep.include(clear);
  });

  it('should breach queue-paused while the queue is paused', () => {
    const paused = rule('queue-paused');
    expect(readCondition(paused, { paused: true, waiting: 4 }, now)).to.deep.include({
      ...breach,
      values: { paused: true, waiting: 4 },
    });
    expect(readCondition(paused, { paused: false }, now)).to.deep.include(clear);
  });

  it('should breach event-gap for a gap inside its window only', () => {
    const gap = rule('event-gap', { windowMs: 60_000 });
    expect(readCondition(gap, { lastGapAt: now - 59_000 }, now)).to.deep.include(breach);
    expect(readCondition(gap, { lastGapAt: now - 60_000 }, now)).to.deep.include(clear);
    expect(readCondition(gap, { lastGapAt: null }, now)).to.deep.include(clear);
  });

  it('should breach redis-down while Redis is unreachable', () => {
    const down = rule('redis-down');
    expect(
      readCondition(down, { reachable: false, connectionStatus: 'reconnecting' }, now),
    ).to.deep.include(breach);
    expect(
      readCondition(down, { reachable: true, connectionStatus: 'connected' }, now),
    ).to.deep.include(clear);
  });

  it('should judge redis-memory against maxmemory, and never alert without one', () => {
    const memory = rule('redis-memory', { fraction: 0.8, clearFraction: 0.7 });
    const redis = { reachable: true, connectionStatus: 'connected' };
    expect(
      readCondition(memory, { ...redis, usedMemoryBytes: 81, maxMemoryBytes: 100 }, now),
    ).to.deep.include({
      ...breach,
      values: {
        usedBytes: 81,
        maxBytes: 100,
        usedFraction: 0.81,
        fraction: 0.8,
        clearFraction: 0.7,
        forMs: 0,
      },
    });
    expect(
      readCondition(memory, { ...redis, usedMemoryBytes: 75, maxMemoryBytes: 100 }, now),
    ).to.deep.include(between);
    expect(
      readCondition(memory, { ...redis, usedMemoryBytes: 10_000, maxMemoryBytes: 0 }, now),
    ).to.deep.include(clear);
  });
});

describe('waitWindowStarts', () => {
  it('should cover the window with whole minutes, the minute in progress included', () => {
    const at = Date.UTC(2024, 0, 1, 10, 5, 30);
    const starts = waitWindowStarts(at, 5 * 60_000);
    expect(starts.map((start) => new Date(start).toISOString().slice(11, 16))).to.deep.equal([
      '10:00',
      '10:01',
      '10:02',
      '10:03',
      '10:04',
      '10:05',
    ]);
  });
});

describe('waitP95Of', () => {
  it('should merge the minutes and take the 95th percentile, or null without waits', () => {
    const fast = new Map([[bucketOf(10), 95]]);
    const slow = new Map([[bucketOf(5_000), 5]]);
    expect(waitP95Of([fast, slow])).to.be.within(9, 11);
    expect(waitP95Of([fast, new Map([[bucketOf(5_000), 6]])])).to.be.within(4_375, 5_625);
    expect(waitP95Of([])).to.equal(null);
  });
});

describe('conditionAlert', () => {
  const base = { incidentId: 'backlog/payments/1', startsAt: now };

  it('should say what tripped a queue rule, with its labels, values and queue page', () => {
    const backlog: ConditionRule = rule('backlog', { count: 1_000, clearCount: 800 });
    const alert = conditionAlert({
      ...base,
      status: 'firing',
      rule: backlog,
      queueName: 'pay/ments',
      severity: 'high',
      labels: { team: 'billing' },
      values: { waiting: 1_523, count: 1_000 },
    });
    expect(alert).to.deep.include({
      id: 'backlog/payments/1',
      status: 'firing',
      severity: 'high',
      rule: 'backlog',
      title: 'Backlog above 1,000 on pay/ments',
      link: '/queues/pay%2Fments',
      context: { queueName: 'pay/ments' },
      labels: { team: 'billing', rule: 'backlog', severity: 'high', queue: 'pay/ments' },
      values: { waiting: 1_523, count: 1_000 },
    });
    expect(alert.message).to.equal(
      '1,523 jobs are waiting on pay/ments (threshold 1,000) for at least 1 minute',
    );
    expect(alert).to.not.have.property('notify');
  });

  it('should mark a rule that does not notify, and end a resolved notice', () => {
    const alert = conditionAlert({
      ...base,
      status: 'resolved',
      rule: rule('queue-paused'),
      queueName: 'payments',
      severity: 'low',
      values: { paused: false, waiting: 0 },
      endsAt: now + 5_000,
    });
    expect(alert).to.deep.include({
      notify: false,
      title: 'payments is resumed',
      endsAt: new Date(now + 5_000).toISOString(),
    });
  });

  it('should address a Redis rule to the overview, as `redis`, with no queue label', () => {
    const alert = conditionAlert({
      ...base,
      status: 'firing',
      rule: rule('redis-down', { forMs: 0 }),
      queueName: null,
      severity: 'critical',
      values: { reachable: false, connectionStatus: 'reconnecting', reason: null },
    });
    expect(alert).to.deep.include({
      title: 'Redis is unreachable',
      link: '/',
      context: { queueName: 'redis' },
      labels: { rule: 'redis-down', severity: 'critical' },
    });
  });
});

describe('count and duration', () => {
  it('should group thousands and pick a readable unit', () => {
    expect(count(1_234_567)).to.equal('1,234,567');
    expect(count(12.5)).to.equal('12.5');
    expect(duration(850)).to.equal('850 ms');
    expect(duration(42_000)).to.equal('42 s');
    expect(duration(750_000)).to.equal('12.5 min');
  });
});
