import { expect } from 'chai';
import {
  defaultHealthThresholds,
  evaluateQueueHealth,
  unreadableQueueHealth,
  verdictChangesAt,
  type QueueThresholds,
} from '../../../src/domain/queue-health/index.js';
import { queueSnapshot } from '../../support/queue-snapshots.js';

const now = Date.UTC(2026, 0, 15, 10, 30);
const thresholds: QueueThresholds = defaultHealthThresholds.queue;

describe('evaluateQueueHealth', () => {
  describe('having a quiet queue with a worker', () => {
    it('should be healthy with no issues', () => {
      const health = evaluateQueueHealth(queueSnapshot(), thresholds, now);
      expect(health.status).to.equal('healthy');
      expect(health.issues).to.deep.equal([]);
      expect(health.details?.isRunning).to.equal(true);
    });
  });

  describe('having a paused queue', () => {
    it('should be unhealthy with QUEUE_PAUSED', () => {
      const health = evaluateQueueHealth(
        queueSnapshot({ isPaused: true, counts: { waiting: 4 } }),
        thresholds,
        now,
      );
      expect(health.status).to.equal('unhealthy');
      expect(health.issues.map((issue) => issue.code)).to.deep.equal(['QUEUE_PAUSED']);
      expect(health.details?.isPaused).to.equal(true);
    });
  });

  describe('wording its findings', () => {
    const messages = (snapshot: Parameters<typeof queueSnapshot>[0], given = thresholds) =>
      evaluateQueueHealth(queueSnapshot(snapshot), given, now).issues.map((issue) => issue.message);

    it('should count one job as one, group thousands and give spans in words', () => {
      expect(
        messages({ activeStartedAt: [now - 9_000] }, { ...thresholds, staleJobAfterMs: 8_000 }),
      ).to.deep.equal(['1 active job has been processing for over 8 seconds (limit 1)']);
      expect(messages({ activeStartedAt: [now - 400_000, now - 300_000] })).to.deep.equal([
        '2 active jobs have been processing for over 5 minutes (limit 1)',
      ]);
      expect(messages({ isPaused: true, counts: { waiting: 1 } })).to.deep.equal([
        'queue is paused; 1 job is waiting',
      ]);
      expect(messages({ workerCount: 0, counts: { waiting: 1_523 } })).to.deep.equal([
        '1,523 jobs are waiting and no worker is connected',
        '1,523 jobs are waiting (limit 1,000)',
      ]);
      expect(messages({ finishedInWindow: { completed: 10, failed: 30 } })).to.deep.equal([
        '75.0% of jobs failed in the last 5 minutes (limit 50.0%)',
      ]);
      // A gap "in the future" (the clock was set back since): just now, not a negative age.
      const gap = evaluateQueueHealth(queueSnapshot(), thresholds, now, {
        lastEventGapAt: now + 3_000_000,
        lastEventGapReason: 'trimmed',
      });
      expect(gap.issues[0]?.message).to.match(/^job events were lost 0 s ago: /);
    });
  });

  describe('having active jobs', () => {
    const startedAgo = (...ms: number[]) => ms.map((age) => now - age);
    const stale = thresholds.staleJobAfterMs;

    it('should stay healthy while every job is younger than staleJobAfterMs', () => {
      const health = evaluateQueueHealth(
        queueSnapshot({ activeStartedAt: startedAgo(stale - 1, 10) }),
        thresholds,
        now,
      );
      expect(health.status).to.equal('healthy');
      expect(health.details?.staleJobs).to.equal(0);
    });

    it('should be degraded from the first job exactly staleJobAfterMs old', () => {
      const health = evaluateQueueHealth(
        queueSnapshot({ activeStartedAt: startedAgo(stale, 10) }),
        thresholds,
        now,
      );
      expect(health.status).to.equal('degraded');
      expect(health.issues[0]).to.include({
        code: 'STALE_JOBS',
        severity: 'degraded',
        measured: 1,
        threshold: thresholds.staleJobs.degraded,
      });
    });

    it('should be unhealthy at staleJobs.unhealthy stale jobs', () => {
      const ages = Array.from({ length: thresholds.staleJobs.unhealthy }, () => stale + 1);
      const health = evaluateQueueHealth(
        queueSnapshot({ activeStartedAt: startedAgo(...ages) }),
        thresholds,
        now,
      );
      expect(health.status).to.equal('unhealthy');
      expect(health.issues[0]).to.include({ code: 'STALE_JOBS', severity: 'unhealthy' });
    });
  });

  describe('having waiting jobs and no worker', () => {
    it('should be unhealthy with NO_WORKERS', () => {
      const health = evaluateQueueHealth(
        queueSnapshot({ workerCount: 0, counts: { waiting: 1 } }),
        thresholds,
        now,
      );
      expect(health.status).to.equal('unhealthy');
      expect(health.issues.map((issue) => issue.code)).to.deep.equal(['NO_WORKERS']);
      expect(health.details?.isRunning).to.equal(false);
    });

    it('should not blame missing workers for an empty queue', () => {
      const health = evaluateQueueHealth(queueSnapshot({ workerCount: 0 }), thresholds, now);
      expect(health.status).to.equal('healthy');
    });

    it('should not guess when workers cannot be counted', () => {
      const health = evaluateQueueHealth(
        queueSnapshot({ workerCount: null, counts: { waiting: 5 } }),
        thresholds,
        now,
      );
      expect(health.status).to.equal('healthy');
      expect(health.details?.isRunning).to.equal(null);
    });
  });

  describe('having a backlog', () => {
    const { degraded, unhealthy } = thresholds.waitingJobs;

    it('should stay healthy just under waitingJobs.degraded', () => {
      const health = evaluateQueueHealth(
        queueSnapshot({ counts: { waiting: degraded - 1 } }),
        thresholds,
        now,
      );
      expect(health.status).to.equal('healthy');
    });

    it('should be degraded at waitingJobs.degraded', () => {
      const health = evaluateQueueHealth(
        queueSnapshot({ counts: { waiting: degraded } }),
        thresholds,
        now,
      );
      expect(health.issues[0]).to.include({
        code: 'BACKLOG_HIGH',
        severity: 'degraded',
        measured: degraded,
      });
    });

    it('should be unhealthy at waitingJobs.unhealthy', () => {
      const health = evaluateQueueHealth(
        queueSnapshot({ counts: { waiting: unhealthy } }),
        thresholds,
        now,
      );
      expect(health.issues[0]).to.include({
        code: 'BACKLOG_HIGH',
        severity: 'unhealthy',
        threshold: unhealthy,
      });
    });
  });

  describe('having failures in the window', () => {
    it('should not judge the rate below errorRateMinJobs', () => {
      const health = evaluateQueueHealth(
        queueSnapshot({
          finishedInWindow: { completed: 0, failed: thresholds.errorRateMinJobs - 1 },
        }),
        thresholds,
        now,
      );
      expect(health.status).to.equal('healthy');
      expect(health.details?.errorRate).to.equal(null);
    });

    it('should stay healthy just under errorRate.degraded', () => {
      const health = evaluateQueueHealth(
        queueSnapshot({ finishedInWindow: { completed: 91, failed: 9 } }),
        thresholds,
        now,
      );
      expect(health.status).to.equal('healthy');
      expect(health.details?.errorRate).to.equal(0.09);
    });

    it('should be degraded at errorRate.degraded', () => {
      const health = evaluateQueueHealth(
        queueSnapshot({ finishedInWindow: { completed: 90, failed: 10 } }),
        thresholds,
        now,
      );
      expect(health.issues[0]).to.include({
        code: 'ERROR_RATE_HIGH',
        severity: 'degraded',
        measured: 0.1,
      });
    });

    it('should be unhealthy at errorRate.unhealthy', () => {
      const health = evaluateQueueHealth(
        queueSnapshot({ finishedInWindow: { completed: 10, failed: 10 } }),
        thresholds,
        now,
      );
      expect(health.issues[0]).to.include({
        code: 'ERROR_RATE_HIGH',
        severity: 'unhealthy',
        threshold: 0.5,
      });
      expect(health.issues[0]?.message).to.contain('50.0%');
    });
  });

  describe('having several problems', () => {
    it('should report each and take the worst status', () => {
      const health = evaluateQueueHealth(
        queueSnapshot({
          isPaused: true,
          counts: { waiting: thresholds.waitingJobs.degraded },
          activeStartedAt: [now - thresholds.staleJobAfterMs],
        }),
        thresholds,
        now,
      );
      expect(health.status).to.equal('unhealthy');
      expect(health.issues.map((issue) => issue.code)).to.have.members([
        'QUEUE_PAUSED',
        'STALE_JOBS',
        'BACKLOG_HIGH',
      ]);
    });
  });

  describe('details', () => {
    it('should average the processing time sample and keep the last finish time', () => {
      const health = evaluateQueueHealth(
        queueSnapshot({ recentProcessingTimesMs: [100, 200, 301], lastFinishedAt: now - 5 }),
        thresholds,
        now,
      );
      expect(health.details?.avgProcessingTime).to.equal(200);
      expect(health.details?.lastJobProcessedAt).to.equal(now - 5);
      expect(health.details?.processingCapacity).to.equal(null);
    });

    it('should say null rather than invent a processing time', () => {
      const health = evaluateQueueHealth(queueSnapshot(), thresholds, now);
      expect(health.details?.avgProcessingTime).to.equal(null);
    });
  });
});

describe('verdictChangesAt', () => {
  const after = thresholds.staleJobAfterMs;

  it('should say never for a queue with no active job, or only stale ones', () => {
    expect(verdictChangesAt(queueSnapshot(), thresholds, now)).to.equal(Infinity);
    const stale = queueSnapshot({ activeStartedAt: [now - after - 5, now - after] });
    expect(verdictChangesAt(stale, thresholds, now)).to.equal(Infinity);
  });

  it('should say when the next fresh active job turns stale', () => {
    const snapshot = queueSnapshot({
      activeStartedAt: [now - after - 5, now - 300, now - 100, now - 200],
    });
    expect(verdictChangesAt(snapshot, thresholds, now)).to.equal(now - 300 + after);
  });

  it('should agree with evaluateQueueHealth: the same stale count just before, one more then', () => {
    const snapshot = queueSnapshot({ activeStartedAt: [now - after - 5, now - 300, now - 100] });
    const changesAt = verdictChangesAt(snapshot, thresholds, now);
    const staleAt = (at: number) =>
      evaluateQueueHealth(snapshot, thresholds, at).details?.staleJobs;
    expect(staleAt(now)).to.equal(1);
    expect(staleAt(changesAt - 1)).to.equal(1);
    expect(staleAt(changesAt)).to.equal(2);
  });
});

describe('unreadableQueueHealth', () => {
  it('should be unhealthy with the reason and no invented stats', () => {
    const health = unreadableQueueHealth('q', 'Connection is closed.');
    expect(health.status).to.equal('unhealthy');
    expect(health.stats).to.equal(null);
    expect(health.issues[0]?.code).to.equal('QUEUE_UNREADABLE');
    expect(health.issues[0]?.message).to.contain('Connection is closed.');
  });
});
