import { expect } from 'chai';
import fc from 'fast-check';
import {
  allRoom,
  anyQueue,
  jobRoom,
  queueRoom,
  roomsFor,
  SubscriptionSet,
  type SubscriptionView,
} from '../../../src/domain/subscriptions/index.js';
import { expectSame } from '../support/expect-same.js';

type Step =
  | {
      readonly op: 'subscribeJob' | 'unsubscribeJob';
      readonly jobId: string;
      readonly queueName: string | null;
    }
  | { readonly op: 'subscribeQueue' | 'unsubscribeQueue'; readonly queueName: string };

/** Job ids may hold colons (BullMQ's `repeat:…` ids do); queue names never do (they are refused). */
const jobIds = fc.constantFrom('1', '2', 'x:1', 'repeat:abc:1700000000000', '*', 'all');
const jobQueues = fc.constantFrom<string | null>(null, 'alpha', 'beta', anyQueue);
const queueNames = fc.constantFrom('alpha', 'beta', 'gamma', 'all', anyQueue);

const steps: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    op: fc.constantFrom('subscribeJob' as const, 'unsubscribeJob' as const),
    jobId: jobIds,
    queueName: jobQueues,
  }),
  fc.record({
    op: fc.constantFrom('subscribeQueue' as const, 'unsubscribeQueue' as const),
    queueName: queueNames,
  }),
);

const runs = fc.record({
  limit: fc.integer({ min: 1, max: 8 }),
  plan: fc.array(steps, { maxLength: 80, size: 'medium' }),
});

/**
 * The reference: a list of what the client asked for, in order. A job in queue `*` is the job in
 * any queue, as `null` is (both address the same room); the first request's wording is kept.
 */
class SubscriptionList {
  readonly jobs: { jobId: string; queueName: string | null }[] = [];
  readonly queues: string[] = [];

  constructor(readonly limit: number) {}

  get size(): number {
    return this.jobs.length + this.queues.length;
  }

  /** Would this request add a subscription (as opposed to repeat one or remove one)? */
  adds(step: Step): boolean {
    if (step.op === 'subscribeJob') return this.jobIndex(step.jobId, step.queueName) === -1;
    if (step.op === 'subscribeQueue') return !this.queues.includes(step.queueName);
    return false;
  }

  apply(step: Step): void {
    switch (step.op) {
      case 'subscribeJob':
        if (this.adds(step) && this.size < this.limit)
          this.jobs.push({ jobId: step.jobId, queueName: step.queueName });
        break;
      case 'unsubscribeJob': {
        const index = this.jobIndex(step.jobId, step.queueName);
        if (index !== -1) this.jobs.splice(index, 1);
        break;
      }
      case 'subscribeQueue':
        if (this.adds(step) && this.size < this.limit) this.queues.push(step.queueName);
        break;
      case 'unsubscribeQueue': {
        const index = this.queues.indexOf(step.queueName);
        if (index !== -1) this.queues.splice(index, 1);
        break;
      }
    }
  }

  view(): SubscriptionView {
    return {
      jobs: this.jobs,
      queues: this.queues.filter((name) => name !== anyQueue),
      all: this.queues.includes(anyQueue),
    };
  }

  private jobIndex(jobId: string, queueName: string | null): number {
    const anyOf = (name: string | null) => (name === anyQueue ? null : name);
    return this.jobs.findIndex(
      (job) => job.jobId === jobId && anyOf(job.queueName) === anyOf(queueName),
    );
  }
}

/** Send a request; only `ok` and a refusal's `code` and `message` are read, the rest may change. */
function apply(set: SubscriptionSet, step: Step): { ok: boolean; code?: string; message?: string } {
  switch (step.op) {
    case 'subscribeJob':
      return set.subscribeJob(step.jobId, step.queueName);
    case 'unsubscribeJob':
      return set.unsubscribeJob(step.jobId, step.queueName);
    case 'subscribeQueue':
      return set.subscribeQueue(step.queueName);
    case 'unsubscribeQueue':
      return set.unsubscribeQueue(step.queueName);
  }
}

/** The rooms a view stands for, worked out from the view alone. */
function roomsOfView(view: SubscriptionView): string[] {
  return [
    ...view.jobs.map((job) => jobRoom(job.queueName, job.jobId)),
    ...view.queues.map((name) => `queue:${name}`),
    ...(view.all ? [allRoom] : []),
  ];
}

describe('SubscriptionSet', () => {
  describe('.subscribeJob, .unsubscribeJob, .subscribeQueue and .unsubscribeQueue', () => {
    describe('having any sequence of requests against any limit', () => {
      it('should hold what a list of the accepted requests holds, and never more than the limit', () => {
        fc.assert(
          fc.property(runs, ({ limit, plan }) => {
            const set = new SubscriptionSet(limit);
            const model = new SubscriptionList(limit);
            for (const step of plan) {
              apply(set, step);
              model.apply(step);
              expectSame(
                { view: set.view(), size: set.size },
                { view: model.view(), size: model.size },
              );
              if (set.size > limit) expect(set.size).to.be.at.most(limit);
            }
          }),
          { numRuns: 1_000 },
        );
      });

      it('should refuse exactly the requests that would add a subscription past the limit', () => {
        fc.assert(
          fc.property(runs, ({ limit, plan }) => {
            const set = new SubscriptionSet(limit);
            const model = new SubscriptionList(limit);
            for (const step of plan) {
              const full = model.adds(step) && model.size >= limit;
              const result = apply(set, step);
              model.apply(step);
              const refusal = result.ok
                ? null
                : { code: result.code, oneLine: !(result.message ?? '\n').includes('\n') };
              expectSame(
                refusal,
                full ? { code: 'QW_SUBSCRIPTION_LIMIT', oneLine: true } : null,
                JSON.stringify(step),
              );
            }
          }),
          { numRuns: 1_000 },
        );
      });
    });
  });

  describe('.rooms', () => {
    describe('having any sequence of requests', () => {
      it('should list each room of the view once, and nothing else', () => {
        fc.assert(
          fc.property(runs, ({ limit, plan }) => {
            const set = new SubscriptionSet(limit);
            for (const step of plan) {
              apply(set, step);
              // Sorted, so the same rooms in another order compare equal; a duplicate still shows.
              const rooms = set.rooms().sort();
              expectSame(rooms, roomsOfView(set.view()).sort());
              if (rooms.length !== set.size) expect(rooms).to.have.length(set.size);
            }
          }),
          { numRuns: 1_000 },
        );
      });
    });
  });
});

describe('rooms', () => {
  describe('roomsFor', () => {
    describe('having any subscriptions and an event of any job in a real queue', () => {
      it('should reach the subscriber exactly when a subscription matches the event', () => {
        const eventQueues = fc.constantFrom('alpha', 'beta', 'gamma', 'all');
        fc.assert(
          fc.property(runs, eventQueues, jobIds, ({ limit, plan }, queueName, jobId) => {
            const set = new SubscriptionSet(limit);
            for (const step of plan) apply(set, step);
            const view = set.view();
            // The routing rule in words: the job in its queue or in any queue, its queue, or all.
            const matches =
              view.all ||
              view.queues.includes(queueName) ||
              view.jobs.some(
                (job) =>
                  job.jobId === jobId &&
                  (job.queueName === null ||
                    job.queueName === anyQueue ||
                    job.queueName === queueName),
              );
            const eventRooms = new Set(roomsFor(queueName, jobId));
            expect(set.rooms().some((room) => eventRooms.has(room))).to.equal(matches);
          }),
          { numRuns: 1_000 },
        );
      });

      it('should give four distinct rooms for a queue name without a colon', () => {
        fc.assert(
          fc.property(
            fc.string({ minLength: 1 }).filter((name) => !name.includes(':') && name !== anyQueue),
            fc.string({ minLength: 1 }),
            (queueName, jobId) => {
              const rooms = roomsFor(queueName, jobId);
              expect(new Set(rooms).size).to.equal(4);
              expect(rooms).to.include(queueRoom(queueName)).and.include(allRoom);
            },
          ),
          { numRuns: 1_000 },
        );
      });
    });
  });
});
