import { expect } from 'chai';
import { DeliveryLog } from '../../web/src/socket/delivery-log.js';
import type { ProgressEvent } from '../../web/src/socket/progress-event.js';

const progress = (value: unknown, jobId = 'j1'): ProgressEvent => ({
  type: 'job-progress',
  payload: { jobId, queueName: 'lab', progress: value, timestamp: 1 },
});
const completed: ProgressEvent = {
  type: 'job-completed',
  payload: { jobId: 'j1', queueName: 'lab', processingTime: 10, timestamp: 2 },
};

describe('DeliveryLog', () => {
  it('should deliver a progress value once, whether pushed or polled', () => {
    const log = new DeliveryLog();
    expect(log.acceptPushed(progress(50))).to.equal(true);
    expect(log.acceptPolled(progress(50), log.mark())).to.equal(false);
    expect(log.acceptPolled(progress(70), log.mark())).to.equal(true);
    expect(log.acceptPushed(progress(70))).to.equal(false);
  });

  it('should deliver a completion once, and again only after the job ran again', () => {
    const log = new DeliveryLog();
    expect(log.acceptPolled(progress(100), log.mark())).to.equal(true);
    expect(log.acceptPolled(completed, log.mark())).to.equal(true);
    expect(log.acceptPolled(progress(100), log.mark())).to.equal(false);
    expect(log.acceptPushed(completed)).to.equal(false);
    expect(log.acceptPushed(progress(10)), 'the same id, run again').to.equal(true);
    expect(log.acceptPushed(completed)).to.equal(true);
  });

  it('should drop a polled read that started before a push for its job', () => {
    const log = new DeliveryLog();
    const mark = log.mark();
    expect(log.acceptPushed(progress(80))).to.equal(true);
    expect(log.acceptPolled(progress(60), mark)).to.equal(false);
    expect(log.acceptPolled(progress(60, 'other-job'), mark), 'another job is not stale').to.equal(
      true,
    );
  });

  it('should count each failed attempt as its own state', () => {
    const log = new DeliveryLog();
    const failed = (attemptsMade: number): ProgressEvent => ({
      type: 'job-failed',
      payload: {
        jobId: 'j1',
        queueName: 'lab',
        failedReason: 'boom',
        attemptsMade,
        willRetry: false,
        timestamp: 3,
      },
    });
    expect(log.acceptPushed(failed(1))).to.equal(true);
    expect(log.acceptPolled(failed(1), log.mark())).to.equal(false);
    expect(log.acceptPushed(failed(2))).to.equal(true);
  });

  it('should forget a job, so that following it again starts afresh', () => {
    const log = new DeliveryLog();
    log.acceptPushed(progress(50));
    log.forget('j1');
    expect(log.acceptPolled(progress(50), log.mark())).to.equal(true);
  });
});
