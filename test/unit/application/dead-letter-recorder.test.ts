import { expect } from 'chai';
import { DeadLetterRecorder } from '../../../src/application/dead-letters/dead-letter-recorder.js';
import type { FailedJobEvent } from '../../../src/application/dead-letters/dead-letter-recorder.js';
import { PendingWrites } from '../../../src/application/writes/pending-writes.js';
import { InMemoryQueuePort } from '../../support/fake-ports.js';
import { FixedClock } from '../../support/fixed-clock.js';
import { InMemoryDeadLetters } from '../../support/in-memory-dead-letters.js';
import { ManualTimer, settle } from '../../support/manual-timer.js';
import { ignoredMetrics, paymentsOnly } from '../../support/payments-watch.js';
import { RecordingLogger } from '../../support/recording-logger.js';

function setup() {
  const clock = new FixedClock(1_000_000);
  const timer = new ManualTimer();
  const deadLetters = new InMemoryDeadLetters();
  const writes = new PendingWrites(clock, timer, new RecordingLogger(), {
    firstDelayMs: 100,
    maxDelayMs: 1_000,
  });
  const recorder = new DeadLetterRecorder(
    paymentsOnly(),
    new InMemoryQueuePort(),
    deadLetters,
    writes,
    ignoredMetrics,
  );
  const failed = (overrides: Partial<FailedJobEvent> = {}): FailedJobEvent => ({
    kind: 'failed',
    queueName: 'payments',
    jobId: '1',
    eventId: '1001-0',
    failedReason: 'boom',
    attemptsMade: 1,
    willRetry: false,
    at: clock.now(),
    ...overrides,
  });
  return { deadLetters, recorder, failed, timer, writes };
}

describe('DeadLetterRecorder', () => {
  describe('.record', () => {
    it('should keep one record per failed attempt (its event), bounded', async () => {
      const { deadLetters, recorder, failed } = setup();
      await recorder.record(failed({ failedReason: 'x'.repeat(10_000) }));
      await recorder.record(failed());
      await recorder.record(failed({ eventId: '1002-0', attemptsMade: 2 }));
      expect([...deadLetters.records.keys()]).to.deep.equal([
        'payments|1|1001-0',
        'payments|1|1002-0',
      ]);
      const record = deadLetters.records.get('payments|1|1001-0');
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
      const { deadLetters, recorder, failed } = setup();
      // The queue port holds no such job: a record with these details can only come from the event.
      await recorder.record(
        failed({
          jobId: '7',
          job: { name: 'charge', stacktrace: ['Error: boom', '    at charge'], data: '{"id":7}' },
        }),
      );
      expect(deadLetters.records.get('payments|7|1001-0')).to.deep.include({
        jobName: 'charge',
        stacktrace: ['Error: boom', '    at charge'],
        dataPreview: '{"id":7}',
      });
    });

    it('should ignore queues it does not watch', async () => {
      const { deadLetters, recorder, failed } = setup();
      await recorder.record(failed({ queueName: 'failed-jobs' }));
      expect(deadLetters.records.size).to.equal(0);
    });

    it('having Redis refuse the record, should keep it and write it once Redis accepts, settling only then', async () => {
      const { deadLetters, recorder, failed, timer, writes } = setup();
      deadLetters.refusals = 2;
      let settled = false;
      const recording = recorder.record(failed()).then(() => {
        settled = true;
      });
      await settle();
      expect(writes.status().deadLetters).to.equal(1);
      await timer.elapse();
      expect(settled).to.equal(false);
      expect(deadLetters.records.size).to.equal(0);
      await timer.elapse();
      await recording;
      expect([...deadLetters.records.keys()]).to.deep.equal(['payments|1|1001-0']);
      expect(writes.status().deadLetters).to.equal(0);
    });
  });
});
