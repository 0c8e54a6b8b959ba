import { expect } from 'chai';
import { AlertDispatcher } from '../../../src/application/alerting/alert-dispatcher.js';
import type { AlertDedup, Claim } from '../../../src/application/ports/alert-dedup.port.js';
import type { AlertLog, AlertRecord } from '../../../src/application/ports/alert-log.port.js';
import type {
  AlertNotification,
  AlertOutbox,
} from '../../../src/application/ports/alert-outbox.port.js';
import type { MetricsRecorder } from '../../../src/application/ports/metrics.port.js';
import type { Alert } from '../../../src/domain/alerting/alert.js';
import { RecordingLogger } from '../../support/recording-logger.js';

/** Claims shared by every dispatcher given the same instance, like Redis's SET NX. */
class InMemoryDedup implements AlertDedup {
  readonly keys = new Map<string, string>();
  claim(key: string, value: string): Promise<Claim> {
    const holder = this.keys.get(key);
    if (holder !== undefined) return Promise.resolve({ claimed: false, holder });
    this.keys.set(key, value);
    return Promise.resolve({ claimed: true });
  }
  release(key: string): Promise<void> {
    this.keys.delete(key);
    return Promise.resolve();
  }
}

class RecordingOutbox implements AlertOutbox {
  readonly queued: AlertNotification[] = [];
  /** Enqueues to refuse before accepting, as Redis out of memory does. */
  refusals = 0;
  enqueue(notifications: readonly AlertNotification[]): Promise<void> {
    if (this.refusals > 0) {
      this.refusals -= 1;
      return Promise.reject(new Error("OOM command not allowed when used memory > 'maxmemory'"));
    }
    for (const notification of notifications) {
      if (!this.queued.some((queued) => queued.deliveryId === notification.deliveryId)) {
        this.queued.push(notification);
      }
    }
    return Promise.resolve();
  }
  start(): void {
    // Delivery is not under test here.
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

class NullLog implements AlertLog {
  add(): Promise<void> {
    return Promise.resolve();
  }
  update(): Promise<void> {
    return Promise.resolve();
  }
  addSuppressed(): Promise<void> {
    return Promise.resolve();
  }
  recent(): Promise<AlertRecord[]> {
    return Promise.resolve([]);
  }
}

const metrics: MetricsRecorder = {
  jobFailed: () => undefined,
  alertNotified: () => undefined,
  deliveryFinished: () => undefined,
  eventRead: () => undefined,
};

const alert = (
  id: string,
  status: 'firing' | 'resolved',
  severity: Alert['severity'] = 'high',
  queueName = 'payments',
): Alert => ({
  id,
  status,
  severity,
  title: 't',
  message: 'm',
  rule: 'failure-rate',
  labels: { rule: 'failure-rate', severity, queue: queueName },
  values: {},
  link: null,
  context: {
    queueName,
    failureCount: 10,
    threshold: 10,
    windowMs: 1,
    recentJobId: null,
    error: null,
  },
  startsAt: '2026-01-01T00:00:00.000Z',
});

describe('AlertDispatcher', () => {
  const routes = [
    { name: 'all', minSeverity: 'low' as const, queues: null },
    { name: 'critical-only', minSeverity: 'critical' as const, queues: null },
    { name: 'other-queue', minSeverity: 'low' as const, queues: ['orders'] },
  ];

  describe('.firing', () => {
    it('should queue one notification per matching destination from the first instance only', async () => {
      const dedup = new InMemoryDedup();
      const outbox = new RecordingOutbox();
      const first = new AlertDispatcher(
        routes,
        dedup,
        outbox,
        new NullLog(),
        metrics,
        new RecordingLogger(),
        'first-instance',
      );
      const second = new AlertDispatcher(
        routes,
        dedup,
        outbox,
        new NullLog(),
        metrics,
        new RecordingLogger(),
        'second-instance',
      );
      expect(
        await first.firing('failure-rate/payments', alert('incident-a', 'firing'), 10, 60_000),
      ).to.equal('incident-a');
      expect(
        await second.firing('failure-rate/payments', alert('incident-b', 'firing'), 11, 60_000),
      ).to.equal('incident-a');
      expect(outbox.queued.map((notification) => notification.destination)).to.deep.equal(['all']);
      expect(outbox.queued[0]?.deliveryId).to.equal('incident-a/firing-10/all');
    });
  });

  describe('.firing, after Redis refused the notice', () => {
    it('should queue it when tried again, the claim it took being its own, and only once', async () => {
      const dedup = new InMemoryDedup();
      const outbox = new RecordingOutbox();
      outbox.refusals = 1;
      const dispatcher = new AlertDispatcher(
        routes,
        dedup,
        outbox,
        new NullLog(),
        metrics,
        new RecordingLogger(),
        'only-instance',
      );
      const firing = alert('incident-a', 'firing');
      let refused: unknown;
      try {
        await dispatcher.firing('failure-rate/payments', firing, 10, 60_000);
      } catch (error) {
        refused = error;
      }
      expect(String(refused)).to.contain('OOM');
      expect(outbox.queued).to.have.length(0);
      expect(await dispatcher.firing('failure-rate/payments', firing, 10, 60_000)).to.equal(
        'incident-a',
      );
      await dispatcher.firing('failure-rate/payments', firing, 10, 60_000);
      expect(outbox.queued.map((notification) => notification.deliveryId)).to.deep.equal([
        'incident-a/firing-10/all',
      ]);
    });
  });

  describe('.resolved', () => {
    it('should send one resolved notice per incident and free the incident for the next one', async () => {
      const dedup = new InMemoryDedup();
      const outbox = new RecordingOutbox();
      const first = new AlertDispatcher(
        routes,
        dedup,
        outbox,
        new NullLog(),
        metrics,
        new RecordingLogger(),
        'first-instance',
      );
      const second = new AlertDispatcher(
        routes,
        dedup,
        outbox,
        new NullLog(),
        metrics,
        new RecordingLogger(),
        'second-instance',
      );
      await first.firing('failure-rate/payments', alert('incident-a', 'firing'), 10, 60_000);
      await first.resolved('failure-rate/payments', alert('incident-a', 'resolved'), 20);
      await second.resolved('failure-rate/payments', alert('incident-a', 'resolved'), 21);
      expect(outbox.queued.map((notification) => notification.deliveryId)).to.deep.equal([
        'incident-a/firing-10/all',
        'incident-a/resolved/all',
      ]);
      expect(
        await second.firing('failure-rate/payments', alert('incident-c', 'firing'), 30, 60_000),
      ).to.equal('incident-c');
    });
  });
});
