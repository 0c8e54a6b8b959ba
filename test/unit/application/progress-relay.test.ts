import { expect } from 'chai';
import type {
  DeliverySink,
  GatewayDelivery,
} from '../../../src/application/ports/delivery-sink.port.js';
import { ProgressRelay } from '../../../src/application/progress/progress-relay.js';
import { FixedClock } from '../../support/fixed-clock.js';

class RecordingSink implements DeliverySink {
  readonly deliveries: GatewayDelivery[] = [];
  deliver(delivery: GatewayDelivery): void {
    this.deliveries.push(delivery);
  }
}

const rooms = ['job:q:1', 'job:*:1', 'queue:q', 'all'];

describe('ProgressRelay', () => {
  describe('.relayJobEvent', () => {
    it('should turn progress into a coalescible job-progress for the job, queue and all rooms', () => {
      const sink = new RecordingSink();
      new ProgressRelay(sink, new FixedClock(0)).relayJobEvent({
        kind: 'progress',
        queueName: 'q',
        jobId: '1',
        progress: 40,
        at: 5,
      });
      expect(sink.deliveries).to.deep.equal([
        {
          name: 'job-progress',
          coalesce: true,
          rooms,
          jobKey: 'q:1',
          payload: { jobId: '1', queueName: 'q', progress: 40, timestamp: 5 },
        },
      ]);
    });

    it('should send completion and failure uncoalesced, with the seed fields', () => {
      const sink = new RecordingSink();
      const relay = new ProgressRelay(sink, new FixedClock(0));
      relay.relayJobEvent({
        kind: 'completed',
        queueName: 'q',
        jobId: '1',
        returnValue: undefined,
        processingTime: 12,
        at: 6,
      });
      relay.relayJobEvent({
        kind: 'failed',
        queueName: 'q',
        jobId: '1',
        eventId: '7-0',
        failedReason: 'boom',
        attemptsMade: 2,
        willRetry: false,
        at: 7,
      });
      expect(
        sink.deliveries.map((delivery) => [delivery.name, delivery.coalesce, delivery.payload]),
      ).to.deep.equal([
        ['job-completed', false, { jobId: '1', queueName: 'q', processingTime: 12, timestamp: 6 }],
        [
          'job-failed',
          false,
          {
            jobId: '1',
            queueName: 'q',
            failedReason: 'boom',
            attemptsMade: 2,
            willRetry: false,
            timestamp: 7,
          },
        ],
      ]);
    });

    it('should not relay active events', () => {
      const sink = new RecordingSink();
      new ProgressRelay(sink, new FixedClock(0)).relayJobEvent({
        kind: 'active',
        queueName: 'q',
        jobId: '1',
        at: 1,
      });
      expect(sink.deliveries).to.deep.equal([]);
    });
  });

  describe('.relayCustomProgress', () => {
    it("should use the worker's timestamp, or the clock when it sent none", () => {
      const sink = new RecordingSink();
      const relay = new ProgressRelay(sink, new FixedClock(99));
      relay.relayCustomProgress({ queueName: 'q', jobId: '1', data: { a: 1 }, timestamp: 50 });
      relay.relayCustomProgress({ queueName: 'q', jobId: '1', data: null });
      expect(sink.deliveries.map((delivery) => delivery.payload)).to.deep.equal([
        { jobId: '1', queueName: 'q', data: { a: 1 }, timestamp: 50 },
        { jobId: '1', queueName: 'q', data: null, timestamp: 99 },
      ]);
    });
  });
});
