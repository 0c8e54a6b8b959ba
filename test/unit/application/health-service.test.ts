import { expect } from 'chai';
import { defaultFailureThreshold } from '../../../src/domain/alerting/failure-rule.js';
import { HealthService } from '../../../src/application/health/health-service.js';
import {
  MonitoredQueues,
  type MonitoredQueue,
} from '../../../src/application/queues/monitored-queues.js';
import { defaultHealthThresholds } from '../../../src/domain/queue-health/index.js';
import { FixedClock } from '../../support/fixed-clock.js';
import {
  InMemoryQueuePort,
  ScriptedDiscovery,
  StaticRedisProbe,
} from '../../support/fake-ports.js';
import { queueSnapshot } from '../../support/queue-snapshots.js';
import { RecordingLogger } from '../../support/recording-logger.js';

const now = Date.UTC(2026, 0, 15, 10, 30);

function monitored(...queues: MonitoredQueue[]): MonitoredQueues {
  return new MonitoredQueues(
    {
      configured: queues,
      discover: false,
      defaults: {
        priority: 'medium',
        thresholds: defaultHealthThresholds.queue,
        failureThreshold: defaultFailureThreshold,
      },
      excluded: [],
    },
    new ScriptedDiscovery(),
    new RecordingLogger(),
  );
}

const queue = (name: string, errorRateWindowMs = 60_000): MonitoredQueue => ({
  name,
  priority: 'medium',
  thresholds: { ...defaultHealthThresholds.queue, errorRateWindowMs },
  failureThreshold: defaultFailureThreshold,
});

describe('HealthService', () => {
  describe('.check', () => {
    it('should read every queue with its own error-rate window and bounded samples', async () => {
      const port = new InMemoryQueuePort()
        .set(queueSnapshot({ name: 'a' }))
        .set(queueSnapshot({ name: 'b' }));
      const service = new HealthService(
        monitored(queue('a', 60_000), queue('b', 5_000)),
        port,
        new StaticRedisProbe(),
        new FixedClock(now),
        {
          redis: defaultHealthThresholds.redis,
          samples: { activeJobs: 7, completedJobs: 3 },
          maxAgeMs: 0,
        },
      );
      await service.check();
      expect(port.inspections).to.deep.equal([
        {
          requests: [
            { name: 'a', finishedSince: now - 60_000 },
            { name: 'b', finishedSince: now - 5_000 },
          ],
          samples: { activeJobs: 7, completedJobs: 3 },
        },
      ]);
    });

    it('should answer in the seed shape with ISO timestamps', async () => {
      const port = new InMemoryQueuePort().set(
        queueSnapshot({ name: 'a', lastFinishedAt: now - 1_000, counts: { waiting: 2 } }),
      );
      const report = await new HealthService(
        monitored(queue('a')),
        port,
        new StaticRedisProbe(),
        new FixedClock(now),
        {
          redis: defaultHealthThresholds.redis,
          samples: { activeJobs: 1, completedJobs: 1 },
          maxAgeMs: 0,
        },
      ).check();
      expect(report.timestamp).to.equal('2026-01-15T10:30:00.000Z');
      expect(report.status).to.equal('healthy');
      expect(report.queues[0]?.details?.lastJobProcessed).to.equal('2026-01-15T10:29:59.000Z');
      expect(report.queues[0]?.details).to.not.have.property('lastJobProcessedAt');
      expect(report.queues[0]?.stats?.waiting).to.equal(2);
      expect(report.summary.totalQueues).to.equal(1);
      expect(Object.keys(report)).to.have.members([
        'status',
        'timestamp',
        'redis',
        'queues',
        'summary',
        'issues',
      ]);
    });

    it('should turn a queue that could not be read into an unhealthy entry, not an error', async () => {
      const port = new InMemoryQueuePort()
        .set(queueSnapshot({ name: 'a' }))
        .fail('b', 'Command timed out');
      const report = await new HealthService(
        monitored(queue('a'), queue('b')),
        port,
        new StaticRedisProbe(),
        new FixedClock(now),
        {
          redis: defaultHealthThresholds.redis,
          samples: { activeJobs: 1, completedJobs: 1 },
          maxAgeMs: 0,
        },
      ).check();
      expect(report.status).to.equal('unhealthy');
      expect(report.queues.map((entry) => entry.status)).to.deep.equal(['healthy', 'unhealthy']);
      expect(report.queues[1]?.details).to.equal(null);
      expect(report.issues[0]?.message).to.contain('Command timed out');
    });
  });

  describe('having maxAgeMs', () => {
    it('should serve a fresh report again and share one read between concurrent checks', async () => {
      const port = new InMemoryQueuePort().set(queueSnapshot({ name: 'a' }));
      const clock = new FixedClock(now);
      const service = new HealthService(
        monitored(queue('a')),
        port,
        new StaticRedisProbe(),
        clock,
        {
          redis: defaultHealthThresholds.redis,
          samples: { activeJobs: 1, completedJobs: 1 },
          maxAgeMs: 1_000,
        },
      );
      const [first, second] = await Promise.all([service.check(), service.check()]);
      expect(second).to.equal(first);
      clock.advance(999);
      expect(await service.check()).to.equal(first);
      expect(port.inspections).to.have.length(1);
      clock.advance(1);
      const third = await service.check();
      expect(port.inspections).to.have.length(2);
      expect(third.timestamp).to.equal(new Date(now + 1_000).toISOString());
    });
  });

  describe('.readiness', () => {
    it('should be ready only when Redis answers', async () => {
      const probe = new StaticRedisProbe();
      const service = new HealthService(
        monitored(),
        new InMemoryQueuePort(),
        probe,
        new FixedClock(now),
        {
          redis: defaultHealthThresholds.redis,
          samples: { activeJobs: 1, completedJobs: 1 },
          maxAgeMs: 0,
        },
      );
      expect(await service.readiness()).to.deep.equal({ ready: true, redis: 'connected' });
      probe.snapshot = { reachable: false, connectionStatus: 'reconnecting', reason: 'down' };
      expect(await service.readiness()).to.deep.equal({ ready: false, redis: 'reconnecting' });
    });
  });
});
