import { expect } from 'chai';
import { AlertDispatcher } from '../../../src/application/alerting/alert-dispatcher.js';
import type { AlertDedup, Claim } from '../../../src/application/ports/alert-dedup.port.js';
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

/** What the intake took in: incident, alert id and status; it may refuse like Redis out of memory. */
class RecordingIntake {
  readonly accepted: string[] = [];
  refusals = 0;
  accept(incidentKey: string, alert: Alert): Promise<never[]> {
    if (this.refusals > 0) {
      this.refusals -= 1;
      return Promise.reject(new Error("OOM command not allowed when used memory > 'maxmemory'"));
    }
    this.accepted.push(`${incidentKey} ${alert.id} ${alert.status}`);
    return Promise.resolve([]);
  }
}

class RecordingDirect {
  readonly sent: string[] = [];
  notify(incidentKey: string, alert: Alert): void {
    this.sent.push(`${incidentKey} ${alert.id} ${alert.status}`);
  }
}

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
  const dispatcherOf = (
    intake: RecordingIntake,
    dedup: AlertDedup,
    owner: string,
    direct = new RecordingDirect(),
  ) => new AlertDispatcher(intake, dedup, direct, new RecordingLogger(), owner);

  describe('.firing', () => {
    it('should take the transition in from the first instance only; the second adopts its incident id', async () => {
      const dedup = new InMemoryDedup();
      const intake = new RecordingIntake();
      const first = dispatcherOf(intake, dedup, 'first-instance');
      const second = dispatcherOf(intake, dedup, 'second-instance');
      expect(
        await first.firing('failure-rate/payments', alert('incident-a', 'firing'), 10, 60_000),
      ).to.equal('incident-a');
      expect(
        await second.firing('failure-rate/payments', alert('incident-b', 'firing'), 11, 60_000),
      ).to.equal('incident-a');
      expect(intake.accepted).to.deep.equal(['failure-rate/payments incident-a firing']);
    });
  });

  describe('.firing, after Redis refused the notice', () => {
    it('should take it in when tried again, the claim it took being its own', async () => {
      const dedup = new InMemoryDedup();
      const intake = new RecordingIntake();
      intake.refusals = 1;
      const dispatcher = dispatcherOf(intake, dedup, 'only-instance');
      const firing = alert('incident-a', 'firing');
      let refused: unknown;
      try {
        await dispatcher.firing('failure-rate/payments', firing, 10, 60_000);
      } catch (error) {
        refused = error;
      }
      expect(String(refused)).to.contain('OOM');
      expect(intake.accepted).to.have.length(0);
      expect(await dispatcher.firing('failure-rate/payments', firing, 10, 60_000)).to.equal(
        'incident-a',
      );
      expect(intake.accepted).to.deep.equal(['failure-rate/payments incident-a firing']);
    });
  });

  describe('.resolved', () => {
    it('should take in one resolved notice per incident and free the incident for the next one', async () => {
      const dedup = new InMemoryDedup();
      const intake = new RecordingIntake();
      const first = dispatcherOf(intake, dedup, 'first-instance');
      const second = dispatcherOf(intake, dedup, 'second-instance');
      await first.firing('failure-rate/payments', alert('incident-a', 'firing'), 10, 60_000);
      await first.resolved('failure-rate/payments', alert('incident-a', 'resolved'), 20);
      await second.resolved('failure-rate/payments', alert('incident-a', 'resolved'), 21);
      expect(intake.accepted).to.deep.equal([
        'failure-rate/payments incident-a firing',
        'failure-rate/payments incident-a resolved',
      ]);
      expect(
        await second.firing('failure-rate/payments', alert('incident-c', 'firing'), 30, 60_000),
      ).to.equal('incident-c');
    });
  });

  describe('a Redis outage', () => {
    it('should send redis-down notices directly, claiming nothing in Redis', async () => {
      const dedup = new InMemoryDedup();
      const intake = new RecordingIntake();
      const direct = new RecordingDirect();
      const dispatcher = dispatcherOf(intake, dedup, 'only-instance', direct);
      const down = { ...alert('redis-down/1', 'firing'), rule: 'redis-down' as const };
      await dispatcher.firing('redis-down', down, 10, 60_000);
      await dispatcher.resolved('redis-down', { ...down, status: 'resolved' }, 20);
      expect(direct.sent).to.deep.equal([
        'redis-down redis-down/1 firing',
        'redis-down redis-down/1 resolved',
      ]);
      expect(intake.accepted).to.deep.equal([]);
      expect(dedup.keys.size).to.equal(0);
    });

    it('should send nothing for a redis-down rule that does not notify', async () => {
      const direct = new RecordingDirect();
      const dispatcher = dispatcherOf(new RecordingIntake(), new InMemoryDedup(), 'one', direct);
      const quiet = {
        ...alert('redis-down/1', 'firing'),
        rule: 'redis-down' as const,
        notify: false,
      };
      await dispatcher.firing('redis-down', quiet, 10, 60_000);
      await dispatcher.resolved('redis-down', { ...quiet, status: 'resolved' }, 20);
      expect(direct.sent).to.deep.equal([]);
    });
  });
});
