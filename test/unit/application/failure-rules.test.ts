import { expect } from 'chai';
import { FailureRules } from '../../../src/application/alerting/failure-rules.js';
import { PendingWrites } from '../../../src/application/writes/pending-writes.js';
import type { Alert } from '../../../src/domain/alerting/alert.js';
import type { JobEvent } from '../../../src/domain/job-events/job-event.js';
import { FixedClock } from '../../support/fixed-clock.js';
import { ManualTimer, settle } from '../../support/manual-timer.js';
import { paymentsOnly } from '../../support/payments-watch.js';
import { RecordingLogger } from '../../support/recording-logger.js';

/** Records the notices it is given; `refusals` of them fail first, as a full Redis refuses them. */
class RecordingDispatcher {
  readonly calls: [string, Alert][] = [];
  refusals = 0;
  firing(_key: string, alert: Alert): Promise<string> {
    if (this.refuse()) return Promise.reject(new Error('OOM command not allowed'));
    this.calls.push(['firing', alert]);
    return Promise.resolve(alert.id);
  }
  resolved(_key: string, alert: Alert): Promise<void> {
    if (this.refuse()) return Promise.reject(new Error('OOM command not allowed'));
    this.calls.push(['resolved', alert]);
    return Promise.resolve();
  }
  private refuse(): boolean {
    if (this.refusals === 0) return false;
    this.refusals -= 1;
    return true;
  }
}

function setup(repeatIntervalMs = 3_600_000) {
  const clock = new FixedClock(1_000_000);
  const timer = new ManualTimer();
  const dispatcher = new RecordingDispatcher();
  const writes = new PendingWrites(clock, timer, new RecordingLogger(), {
    firstDelayMs: 100,
    maxDelayMs: 1_000,
  });
  const rules = new FailureRules(paymentsOnly(), dispatcher, writes, clock, { repeatIntervalMs });
  const failed = (jobId: string): Promise<void> | undefined =>
    rules.observe({
      kind: 'failed',
      queueName: 'payments',
      jobId,
      eventId: `${jobId}-0`,
      failedReason: 'boom',
      attemptsMade: 1,
      willRetry: false,
      at: clock.now(),
    } satisfies JobEvent);
  return { clock, timer, dispatcher, rules, failed, writes };
}

describe('FailureRules', () => {
  describe('.observe', () => {
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

    it('should return no promise for an event that leads to no notice', () => {
      const { failed } = setup();
      expect(failed('1')).to.equal(undefined);
    });
  });

  describe('.evaluateAll', () => {
    it('should resolve once the window has drained', async () => {
      const { dispatcher, failed, rules, clock } = setup();
      for (const id of ['1', '2', '3']) await failed(id);
      clock.advance(5_000);
      await rules.evaluateAll();
      expect(rules.stats()[0]?.alert.status).to.equal('firing');
      clock.advance(6_000);
      await rules.evaluateAll();
      await rules.evaluateAll();
      expect(dispatcher.calls.map(([kind]) => kind)).to.deep.equal(['firing', 'resolved']);
      expect(dispatcher.calls[1]?.[1].id).to.equal(dispatcher.calls[0]?.[1].id);
      expect(rules.stats()[0]).to.deep.include({ alert: { status: 'ok' } });
    });
  });

  describe('having Redis refuse the notices', () => {
    it('should say the firing notice is pending, not sent, and queue it, then the resolved one, in order once Redis accepts', async () => {
      const { dispatcher, failed, rules, clock, timer, writes } = setup();
      dispatcher.refusals = 3;
      for (const id of ['1', '2']) await failed(id);
      const firing = failed('3');
      await settle();
      expect(rules.stats()[0]?.alert).to.deep.equal({
        status: 'firing',
        since: '1970-01-01T00:16:40.000Z',
        incidentId: null,
        notification: 'pending',
      });
      expect(writes.status().alerts).to.equal(1);

      // The window drains while the firing notice still waits: the resolved one queues behind it.
      clock.advance(11_000);
      const resolved = rules.evaluateAll();
      await settle();
      expect(dispatcher.calls).to.deep.equal([]);
      while (dispatcher.calls.length < 2) await timer.elapse();
      await Promise.all([firing, resolved]);
      expect(dispatcher.calls.map(([kind, alert]) => [kind, alert.id])).to.deep.equal([
        ['firing', 'failure-rate/payments/1000000'],
        ['resolved', 'failure-rate/payments/1000000'],
      ]);
      expect(rules.stats()[0]?.alert).to.deep.equal({ status: 'ok' });
      expect(writes.status().alerts).to.equal(0);
    });

    it('should not stack repeats behind a firing notice that still waits', async () => {
      const { dispatcher, failed, rules, clock, timer } = setup(5_000);
      dispatcher.refusals = 1;
      for (const id of ['1', '2', '3']) void failed(id);
      await settle();
      // Past the repeat interval, still inside the window: a repeat is due.
      clock.advance(6_000);
      for (const id of ['4', '5', '6']) void failed(id);
      await rules.evaluateAll();
      await timer.elapse();
      expect(dispatcher.calls.map(([kind]) => kind)).to.deep.equal(['firing']);
      expect(rules.stats()[0]?.alert).to.deep.include({
        incidentId: 'failure-rate/payments/1000000',
        notification: 'queued',
      });
    });
  });
});
