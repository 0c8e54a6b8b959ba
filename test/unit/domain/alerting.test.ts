import { expect } from 'chai';
import {
  defaultFailureThreshold,
  defaultRetryPolicy,
  failureAlert,
  readFailures,
  retryDelay,
  stepAlert,
  truncate,
  type AlertState,
} from '../../../src/domain/alerting/index.js';
import { describeWindow } from '../../../src/domain/wording/wording.js';
import { FailureWindow } from '../../../src/domain/failure-rate/index.js';

describe('FailureWindow', () => {
  it('should count what happened within the window and forget what fell out of it', () => {
    const window = new FailureWindow(60_000, 60);
    for (let second = 0; second < 10; second += 1) window.record('failed', second * 1_000);
    window.record('completed', 5_000);
    expect(window.counts(10_000)).to.deep.equal({ failed: 10, completed: 1 });
    expect(window.counts(64_999)).to.deep.equal({ failed: 5, completed: 1 });
    expect(window.counts(65_000)).to.deep.equal({ failed: 4, completed: 0 });
    expect(window.counts(70_000)).to.deep.equal({ failed: 0, completed: 0 });
  });

  it('should ignore a record older than the window and keep one slightly older than the newest', () => {
    const window = new FailureWindow(10_000, 10);
    window.record('failed', 100_000);
    window.record('failed', 95_000);
    window.record('failed', 80_000);
    expect(window.counts(100_000).failed).to.equal(2);
  });

  it('should keep a fixed memory however much traffic and time goes by', () => {
    const window = new FailureWindow(1_000, 10);
    for (let at = 0; at < 1_000_000; at += 7) window.record('failed', at);
    // The window is the 10 newest 100 ms buckets: 999,100 to 1,000,099; multiples of 7 in it.
    expect(window.counts(1_000_000).failed).to.equal(129);
  });
});

describe('readFailures', () => {
  const threshold = { ...defaultFailureThreshold, rate: 0.5, minVolume: 20 };

  it('should breach at count failures and clear at clearCount', () => {
    expect(readFailures({ failed: 9, completed: 100 }, defaultFailureThreshold)).to.include({
      breached: false,
      cleared: false,
    });
    expect(readFailures({ failed: 10, completed: 100 }, defaultFailureThreshold)).to.include({
      breached: true,
    });
    expect(readFailures({ failed: 5, completed: 0 }, defaultFailureThreshold)).to.include({
      cleared: true,
      failureRate: 1,
      successRate: 0,
    });
  });

  it('should judge the rate only from minVolume finished jobs on', () => {
    expect(readFailures({ failed: 9, completed: 9 }, threshold)).to.include({
      breached: false,
      rateCounts: false,
    });
    expect(readFailures({ failed: 9, completed: 11 }, { ...threshold, count: 100 })).to.include({
      breached: false,
      rateCounts: true,
    });
    expect(
      readFailures({ failed: 9, completed: 1 }, { ...threshold, count: 100, minVolume: 10 }),
    ).to.include({ breached: true });
  });
});

describe('stepAlert', () => {
  const hour = 3_600_000;
  const breached = { breached: true, cleared: false };
  const between = { breached: false, cleared: false };
  const cleared = { breached: false, cleared: true };

  it('should fire once, stay quiet, repeat after the interval and resolve once', () => {
    let state: AlertState = { status: 'ok' };
    const steps: (string | null)[] = [];
    for (const [reading, at] of [
      [breached, 0],
      [breached, 1_000],
      [between, 2_000],
      [breached, hour - 1],
      [breached, hour],
      [cleared, hour + 1],
      [cleared, hour + 2],
    ] as const) {
      const step = stepAlert(state, reading, at, hour);
      steps.push(step.transition);
      state = step.state;
    }
    expect(steps).to.deep.equal(['fire', null, null, null, 'repeat', 'resolve', null]);
  });
});

describe('retryDelay', () => {
  it('should double from the base, honour a longer Retry-After, and cap both', () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelay(defaultRetryPolicy, attempt))).to.deep.equal([
      1_000, 2_000, 4_000, 8_000,
    ]);
    expect(retryDelay(defaultRetryPolicy, 1, 2_000)).to.equal(2_000);
    expect(retryDelay(defaultRetryPolicy, 4, 2_000)).to.equal(8_000);
    expect(retryDelay(defaultRetryPolicy, 30)).to.equal(defaultRetryPolicy.maxDelayMs);
    expect(retryDelay(defaultRetryPolicy, 1, 3_600_000)).to.equal(defaultRetryPolicy.maxDelayMs);
  });
});

describe('failureAlert', () => {
  const reading = readFailures({ failed: 12, completed: 88 }, defaultFailureThreshold);

  it('should build the seed alert', () => {
    const alert = failureAlert({
      incidentId: 'failure-rate/similarity-operations/0',
      status: 'firing',
      queueName: 'similarity-operations',
      priority: 'high',
      reading,
      threshold: defaultFailureThreshold,
      recentJobId: 'similarity-ABC123',
      error: 'Analysis timeout after 30 minutes',
      startsAt: Date.UTC(2024, 0, 15, 10, 30),
    });
    expect(alert).to.deep.equal({
      id: 'failure-rate/similarity-operations/0',
      status: 'firing',
      severity: 'high',
      title: 'High Failure Rate Detected',
      message:
        'Queue similarity-operations has 12 failures in the last 5 minutes (12.0% of finished jobs)',
      rule: 'failure-rate',
      labels: { rule: 'failure-rate', severity: 'high', queue: 'similarity-operations' },
      values: {
        failures: 12,
        completed: 88,
        failureRate: 0.12,
        threshold: 10,
        rateThreshold: null,
        windowMs: 300_000,
      },
      link: '/queues/similarity-operations',
      context: {
        queueName: 'similarity-operations',
        failureCount: 12,
        threshold: 10,
        windowMs: 300_000,
        recentJobId: 'similarity-ABC123',
        error: 'Analysis timeout after 30 minutes',
      },
      startsAt: '2024-01-15T10:30:00.000Z',
    });
  });

  it('should bound a huge error and say when it is resolved', () => {
    const alert = failureAlert({
      incidentId: 'x',
      status: 'resolved',
      queueName: 'q',
      priority: 'low',
      reading,
      threshold: defaultFailureThreshold,
      recentJobId: null,
      error: 'e'.repeat(100_000),
      startsAt: 0,
      endsAt: 1_000,
    });
    expect(alert.title).to.equal('Failure Rate Back to Normal');
    expect(alert.endsAt).to.equal('1970-01-01T00:00:01.000Z');
    expect(alert.context.error?.length).to.be.at.most(500);
    expect(alert.context.error).to.match(/… \(truncated\)$/);
  });

  it('should describe windows in words', () => {
    expect([300_000, 3_600_000, 3_000, 1_500, 90_500].map(describeWindow)).to.deep.equal([
      '5 minutes',
      '1 hour',
      '3 seconds',
      '1,500 ms',
      '90,500 ms',
    ]);
    expect(truncate('short', 10)).to.equal('short');
  });
});
