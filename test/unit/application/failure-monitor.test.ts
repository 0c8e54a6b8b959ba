import { expect } from 'chai';
import { FailureMonitor } from '../../../src/application/alerting/failure-monitor.js';
import type {
  DeadLetterRecord,
  DeadLetterStore,
  DeadLetterSummary,
} from '../../../src/application/ports/dead-letter-store.port.js';
import type { MetricsRecorder } from '../../../src/application/ports/metrics.port.js';
import { MonitoredQueues } from '../../../src/application/queues/monitored-queues.js';
import type { Alert } from '../../../src/domain/alerting/alert.js';
import { defaultFailureThreshold } from '../../../src/domain/alerting/failure-rule.js';
import { defaultHealthThresholds } from '../../../src/domain/queue-health/index.js';
import { FixedClock } from '../../support/fixed-clock.js';
import { InMemoryQueuePort, ScriptedDiscovery } from '../../support/fake-ports.js';
import { RecordingLogger } from '../../support/recording-logger.js';

class InMemoryDeadLetters implements DeadLetterStore {
  readonly records = new Map<string, DeadLetterRecord>();
  record(record: DeadLetterRecord): Promise<void> {
    if (!this.records.has(record.id)) this.records.set(record.id, record);
    return Promise.resolve();
  }
  recent(limit: number): Promise<DeadLetterRecord[]> {
    return Promise.resolve([...this.records.values()].reverse().slice(0, limit));
  }
  summary(): Promise<DeadLetterSummary> {
    return Promise.resolve({
      queueName: 'failed-jobs',
      size: this.records.size,
      oldestFailedAt: null,
      newestFailedAt: null,
    });
  }
  prune(): Promise<number> {
    return Promise.resolve(0);
  }
}

class RecordingDispatcher {
  readonly calls: [string, Alert][] = [];
  firing(_key: string, alert: Alert): Promise<string> {
    this.calls.push(['firing', alert]);
    return Promise.resolve(alert.id);
  }
  resolved(_key: string, alert: Alert): Promise<void> {
    this.calls.push(['resolved', alert]);
    return Promise.resolve();
  }
}

const metrics: MetricsRecorder = {
  jobFailed: () => undefined,
  alertNotified: () => undefined,
  deliveryFinished: () => undefined,
};
const threshold = { ...defaultFailureThreshold, count: 3, clearCount: 1, windowMs: 10_000 };

function setup() {
  const clock = new FixedClock(1_000_000);
  const deadLetters = new InMemoryDeadLetters();
  const dispatcher = new RecordingDispatcher();
  const queues = new MonitoredQueues(
    {
      configured: [
        {
          name: 'payments',
          priority: 'critical',
          thresholds: defaultHealthThresholds.queue,
          failureThreshold: threshold,
        },
      ],
      discover: false,
      defaults: {
        priority: 'medium',
        thresholds: defaultHealthThresholds.queue,
        failureThreshold: threshold,
      },
      excluded: [],
    },
    new ScriptedDiscovery(),
    new RecordingLogger(),
  );
  const monitor = new FailureMonitor(
    queues,
    new InMemoryQueuePort(),
    deadLetters,
    dispatcher,
    clock,
    metrics,
    new RecordingLogger(),
    {
      repeatIntervalMs: 3_600_000,
    },
  );
  const failed = (jobId: string, attemptsMade = 1, failedReason = 'boom') =>
    monitor.handle({
      kind: 'failed',
      queueName: 'payments',
      jobId,
      failedReason,
      attemptsMade,
      willRetry: false,
      at: clock.now(),
    });
  return { clock, deadLetters, dispatcher, monitor, failed };
}

describe('FailureMonitor', () => {
  describe('.handle', () => {
    it('should keep one dead-letter record per queue, job and attempt, bounded', async () => {
      const { deadLetters, failed } = setup();
      await failed('1', 1, 'x'.repeat(10_000));
      await failed('1', 1);
      await failed('1', 2);
      expect([...deadLetters.records.keys()]).to.deep.equal(['payments|1|1', 'payments|1|2']);
      const record = deadLetters.records.get('payments|1|1');
      expect(record?.failedReason.length).to.be.at.most(2_000);
      expect(record).to.include({
        queueName: 'payments',
        jobId: '1',
        priority: 'critical',
        willRetry: false,
        failedAt: '1970-01-01T00:16:40.000Z',
      });
    });

    it('should take the job details read with the event rather than read the job again', async () => {
      const { deadLetters, monitor, clock } = setup();
      // The queue port holds no such job: a record with these details can only come from the event.
      await monitor.handle({
        kind: 'failed',
        queueName: 'payments',
        jobId: '7',
        failedReason: 'boom',
        attemptsMade: 1,
        willRetry: false,
        at: clock.now(),
        job: { name: 'charge', stacktrace: ['Error: boom', '    at charge'], data: '{"id":7}' },
      });
      expect(deadLetters.records.get('payments|7|1')).to.deep.include({
        jobName: 'charge',
        stacktrace: ['Error: boom', '    at charge'],
        dataPreview: '{"id":7}',
      });
    });

    it('should ignore queues it does not watch', async () => {
      const { deadLetters, monitor, clock } = setup();
      await monitor.handle({
        kind: 'failed',
        queueName: 'failed-jobs',
        jobId: '1',
        failedReason: 'x',
        attemptsMade: 1,
        willRetry: false,
        at: clock.now(),
      });
      expect(deadLetters.records.size).to.equal(0);
    });

    it('should fire at the threshold with the queue priority as severity, once', async () => {
      const { dispatcher, failed } = setup();
      for (const id of ['1', '2', '3', '4', '5']) await failed(id);
      expect(dispatcher.calls.map(([kind]) => kind)).to.deep.equal(['firing']);
      expect(dispatcher.calls[0]?.[1]).to.deep.include({ severity: 'critical', status: 'firing' });
      expect(dispatcher.calls[0]?.[1].context).to.include({
        failureCount: 3,
        recentJobId: '3',
        error: 'boom',
      });
    });
  });

  describe('.evaluateAll', () => {
    it('should resolve once the window has drained', async () => {
      const { dispatcher, failed, monitor, clock } = setup();
      for (const id of ['1', '2', '3']) await failed(id);
      clock.advance(5_000);
      await monitor.evaluateAll();
      expect(monitor.stats()[0]?.alert.status).to.equal('firing');
      clock.advance(6_000);
      await monitor.evaluateAll();
      await monitor.evaluateAll();
      expect(dispatcher.calls.map(([kind]) => kind)).to.deep.equal(['firing', 'resolved']);
      expect(dispatcher.calls[1]?.[1].id).to.equal(dispatcher.calls[0]?.[1].id);
      expect(monitor.stats()[0]).to.deep.include({ alert: { status: 'ok' } });
    });
  });
});
