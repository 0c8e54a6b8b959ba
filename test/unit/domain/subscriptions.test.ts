import { expect } from 'chai';
import {
  CoalescingOutbox,
  jobRoom,
  queueRoom,
  roomsFor,
  SubscriptionSet,
  type Delivery,
} from '../../../src/domain/subscriptions/index.js';
import { ProcessingClock } from '../../../src/domain/job-events/index.js';

const progress = (jobKey: string, value: number): Delivery => ({
  name: 'job-progress',
  payload: value,
  rooms: [],
  jobKey,
  coalesce: true,
});
const completed = (jobKey: string): Delivery => ({
  name: 'job-completed',
  payload: 'done',
  rooms: [],
  jobKey,
  coalesce: false,
});

describe('rooms', () => {
  it('should address a job in its queue, the job id in any queue, its queue and all', () => {
    expect(roomsFor('alpha', 'x:1')).to.deep.equal([
      'job:alpha:x:1',
      'job:*:x:1',
      'queue:alpha',
      'all',
    ]);
    expect(jobRoom(null, '7')).to.equal('job:*:7');
    expect(queueRoom('*')).to.equal('all');
  });
});

describe('SubscriptionSet', () => {
  it('should join each room once and report the view', () => {
    const set = new SubscriptionSet(10);
    expect(set.subscribeJob('1', 'alpha')).to.deep.equal({
      ok: true,
      subscription: { jobId: '1', queueName: 'alpha' },
      changed: true,
      count: 1,
      join: 'job:alpha:1',
    });
    expect(set.subscribeJob('1', 'alpha')).to.deep.equal({
      ok: true,
      subscription: { jobId: '1', queueName: 'alpha' },
      changed: false,
      count: 1,
    });
    expect(set.subscribeJob('1', null)).to.deep.include({ changed: true, join: 'job:*:1' });
    expect(set.subscribeQueue('*')).to.deep.equal({
      ok: true,
      subscription: { queueName: '*' },
      changed: true,
      count: 3,
      join: 'all',
    });
    expect(set.subscribeQueue('beta')).to.deep.include({ join: 'queue:beta', count: 4 });
    expect(set.view()).to.deep.equal({
      jobs: [
        { jobId: '1', queueName: 'alpha' },
        { jobId: '1', queueName: null },
      ],
      queues: ['beta'],
      all: true,
    });
  });

  it('should leave only rooms it joined, and say when nothing changed', () => {
    const set = new SubscriptionSet(10);
    set.subscribeQueue('beta');
    set.subscribeJob('7', null);
    expect(set.unsubscribeQueue('beta')).to.deep.equal({
      ok: true,
      subscription: { queueName: 'beta' },
      changed: true,
      count: 1,
      leave: 'queue:beta',
    });
    expect(set.unsubscribeQueue('beta')).to.deep.equal({
      ok: true,
      subscription: { queueName: 'beta' },
      changed: false,
      count: 1,
    });
    expect(set.unsubscribeJob('nope', null)).to.deep.equal({
      ok: true,
      subscription: { jobId: 'nope', queueName: null },
      changed: false,
      count: 1,
    });
    expect(set.unsubscribeJob('7', null)).to.deep.include({
      changed: true,
      count: 0,
      leave: 'job:*:7',
    });
  });

  it('should refuse past the limit and accept again after an unsubscribe', () => {
    const set = new SubscriptionSet(2);
    set.subscribeJob('1', null);
    set.subscribeQueue('a');
    expect(set.subscribeJob('2', null)).to.deep.include({
      ok: false,
      code: 'QW_SUBSCRIPTION_LIMIT',
    });
    set.unsubscribeQueue('a');
    expect(set.subscribeJob('2', null).ok).to.equal(true);
    expect(set.size).to.equal(2);
  });
});

describe('CoalescingOutbox', () => {
  it('should keep only the latest progress of a job, in the place of the first', () => {
    const outbox = new CoalescingOutbox();
    outbox.push(progress('a', 1));
    outbox.push(progress('b', 1));
    outbox.push(progress('a', 2));
    outbox.push(progress('a', 3));
    expect(
      outbox.drain().map((delivery) => `${delivery.jobKey}=${String(delivery.payload)}`),
    ).to.deep.equal(['a=3', 'b=1']);
    expect(outbox.size).to.equal(0);
  });

  it('should never drop a completion, and queue later progress behind it', () => {
    const outbox = new CoalescingOutbox();
    outbox.push(progress('a', 1));
    outbox.push(completed('a'));
    outbox.push(progress('a', 2));
    outbox.push(progress('a', 3));
    outbox.push(completed('a'));
    expect(
      outbox.drain().map((delivery) => `${delivery.name}:${String(delivery.payload)}`),
    ).to.deep.equal([
      'job-progress:1',
      'job-completed:done',
      'job-progress:3',
      'job-completed:done',
    ]);
  });

  it('should hold one progress per job however many arrive', () => {
    const outbox = new CoalescingOutbox();
    for (let value = 0; value < 10_000; value += 1)
      outbox.push(progress(`job-${String(value % 3)}`, value));
    expect(outbox.size).to.equal(3);
  });
});

describe('ProcessingClock', () => {
  it('should measure from active to finish and forget the job', () => {
    const clock = new ProcessingClock(10);
    clock.started('q', '1', 1_000);
    expect(clock.isRunning('q', '1')).to.equal(true);
    expect(clock.finished('q', '1', 1_250)).to.equal(250);
    expect(clock.finished('q', '1', 1_300)).to.equal(null);
  });

  it('should forget the oldest job beyond its capacity', () => {
    const clock = new ProcessingClock(2);
    clock.started('q', '1', 0);
    clock.started('q', '2', 0);
    clock.started('q', '3', 0);
    expect(clock.size).to.equal(2);
    expect(clock.isRunning('q', '1')).to.equal(false);
    expect(clock.isRunning('q', '3')).to.equal(true);
  });
});
