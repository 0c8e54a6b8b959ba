import { expect } from 'chai';
import fc from 'fast-check';
import { CoalescingOutbox, type Delivery } from '../../../src/domain/subscriptions/index.js';
import { expectSame } from '../support/expect-same.js';

/** A delivery whose payload is its push number, so the test can tell every one apart. */
type Numbered = Delivery<string, number>;

type Step = { readonly op: 'drain' } | { readonly op: 'push'; readonly delivery: Numbered };

/**
 * The naive reference: a plain list. A coalescible delivery looks back through the waiting ones of
 * its job: it takes the place of one of the same name, unless a non-coalescible one of the job
 * comes first (then it queues at the end, behind it).
 */
class ListOutbox {
  items: Numbered[] = [];

  push(delivery: Numbered): void {
    if (delivery.coalesce) {
      for (let index = this.items.length - 1; index >= 0; index -= 1) {
        const waiting = this.items[index]!;
        if (waiting.jobKey !== delivery.jobKey) continue;
        if (!waiting.coalesce) break;
        if (waiting.name === delivery.name) {
          this.items[index] = delivery;
          return;
        }
      }
    }
    this.items.push(delivery);
  }

  drain(): Numbered[] {
    const drained = this.items;
    this.items = [];
    return drained;
  }
}

const names = ['job-progress', 'custom-progress', 'job-completed', 'job-failed'];

/** Pushes over a few jobs, with now and then a drain; progress coalesces, the rest does not. */
const plans: fc.Arbitrary<Step[]> = fc
  .array(
    fc.oneof(
      { arbitrary: fc.constant({ op: 'drain' as const }), weight: 1 },
      {
        arbitrary: fc.record({
          jobKey: fc.constantFrom('a:1', 'a:2', 'b:1', 'b:x:1'),
          name: fc.constantFrom(...names),
          // Now and then a delivery with the other coalesce flag than its name usually has.
          flipped: fc.oneof(
            { arbitrary: fc.constant(false), weight: 15 },
            { arbitrary: fc.constant(true), weight: 1 },
          ),
        }),
        weight: 8,
      },
    ),
    { maxLength: 150, size: 'medium' },
  )
  .map((raw) =>
    raw.map((step, index): Step => {
      if (!('jobKey' in step)) return step;
      const coalesce = step.name.endsWith('progress') !== step.flipped;
      const delivery = {
        name: step.name,
        payload: index,
        rooms: [],
        jobKey: step.jobKey,
        coalesce,
      };
      return { op: 'push', delivery };
    }),
  );

/** Run a plan; what every drain (and a last one) gave, in order. */
function drains(plan: readonly Step[]): { drained: Numbered[][] } {
  const outbox = new CoalescingOutbox<Numbered>();
  const drained: Numbered[][] = [];
  for (const step of plan) {
    if (step.op === 'push') outbox.push(step.delivery);
    else drained.push(outbox.drain());
  }
  drained.push(outbox.drain());
  return { drained };
}

const pushed = (plan: readonly Step[]): Numbered[] =>
  plan.flatMap((step) => (step.op === 'push' ? [step.delivery] : []));

describe('CoalescingOutbox', () => {
  describe('.push and .drain', () => {
    describe('having any sequence of pushes and drains', () => {
      it('should drain exactly what a plain list with the documented coalescing drains', () => {
        fc.assert(
          fc.property(plans, (plan) => {
            const outbox = new CoalescingOutbox<Numbered>();
            const model = new ListOutbox();
            for (const step of plan) {
              if (step.op === 'push') {
                outbox.push(step.delivery);
                model.push(step.delivery);
              } else {
                expectSame(outbox.drain(), model.drain());
              }
              if (outbox.size !== model.items.length) {
                expect(outbox.size).to.equal(model.items.length);
              }
            }
            expect(outbox.drain()).to.deep.equal(model.drain());
            expect(outbox.size).to.equal(0);
          }),
          { numRuns: 1_000 },
        );
      });

      it('should never drop, repeat or reorder a completion or failure', () => {
        fc.assert(
          fc.property(plans, (plan) => {
            const { drained } = drains(plan);
            const kept = (list: Numbered[]) => list.filter((delivery) => !delivery.coalesce);
            expect(kept(drained.flat())).to.deep.equal(kept(pushed(plan)));
          }),
          { numRuns: 1_000 },
        );
      });

      it("should keep a job's progress between the completions it was pushed between", () => {
        fc.assert(
          fc.property(plans, (plan) => {
            const sent = drains(plan).drained.flat();
            for (const jobKey of new Set(sent.map((delivery) => delivery.jobKey))) {
              const ofJob = sent.filter((delivery) => delivery.jobKey === jobKey);
              const order = ofJob.map((delivery) => delivery.payload);
              // Around each completion or failure: everything sent before it was pushed before
              // it, everything sent after it was pushed after it.
              ofJob.forEach((delivery, index) => {
                if (delivery.coalesce) return;
                const latestBefore = Math.max(-1, ...order.slice(0, index));
                const earliestAfter = Math.min(Infinity, ...order.slice(index + 1));
                if (latestBefore > delivery.payload || earliestAfter < delivery.payload) {
                  expect.fail(
                    `job ${jobKey} was sent as pushes ${order.join(', ')}: ` +
                      `push ${String(delivery.payload)} (not coalescible) is out of place`,
                  );
                }
              });
            }
          }),
          { numRuns: 1_000 },
        );
      });

      it('should send only the latest progress of each name per job between two completions', () => {
        fc.assert(
          fc.property(plans, (plan) => {
            // The reference: cut the pushes into runs at each drain and at each non-coalescible
            // delivery of a job; of each run, the last coalescible delivery per job and name is
            // the one that must be sent, and no other one of that run.
            const expected = new Set<number>();
            const latest = new Map<string, number>();
            const close = (jobKey?: string) => {
              for (const [key, payload] of latest) {
                if (jobKey === undefined || key.startsWith(`${jobKey}\n`)) {
                  expected.add(payload);
                  latest.delete(key);
                }
              }
            };
            for (const step of plan) {
              if (step.op === 'drain') close();
              else if (!step.delivery.coalesce) close(step.delivery.jobKey);
              else
                latest.set(`${step.delivery.jobKey}\n${step.delivery.name}`, step.delivery.payload);
            }
            close();
            const sent = drains(plan)
              .drained.flat()
              .filter((delivery) => delivery.coalesce)
              .map((delivery) => delivery.payload);
            expect(sent).to.have.members([...expected]);
          }),
          { numRuns: 1_000 },
        );
      });
    });

    describe('having only progress between two drains', () => {
      it('should hold at most one delivery per job and name', () => {
        fc.assert(
          fc.property(plans, (plan) => {
            const outbox = new CoalescingOutbox<Numbered>();
            const held = new Set<string>();
            for (const step of plan) {
              if (step.op === 'drain' || !step.delivery.coalesce) {
                outbox.drain();
                held.clear();
                continue;
              }
              outbox.push(step.delivery);
              held.add(`${step.delivery.jobKey}\n${step.delivery.name}`);
              if (outbox.size !== held.size) expect(outbox.size).to.equal(held.size);
            }
          }),
          { numRuns: 1_000 },
        );
      });
    });
  });
});
