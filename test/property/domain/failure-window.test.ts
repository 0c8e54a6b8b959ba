import { expect } from 'chai';
import fc from 'fast-check';
import { FailureWindow, type WindowCounts } from '../../../src/domain/failure-rate/index.js';
import { expectSame } from '../support/expect-same.js';

type Outcome = 'failed' | 'completed';

/** One step of a run: a record or a read, `back` ms before the newest time so far. */
interface Step {
  readonly op: 'record' | 'read';
  readonly kind: Outcome;
  /** How far the newest time moves on first (ms). */
  readonly forward: number;
  /** How late this record or read is (ms). */
  readonly back: number;
}

interface WindowConfig {
  readonly windowMs: number;
  readonly buckets: number;
  readonly start: number;
}

/**
 * The naive reference: it keeps every record and, at each read, counts those in the window that
 * ends with the newest time seen. The window is the newest time's bucket and the `buckets - 1`
 * before it, with buckets of `ceil(windowMs / buckets)` ms, as the class documents.
 */
class RecordListWindow {
  readonly bucketMs: number;
  private readonly records: { readonly kind: Outcome; readonly at: number }[] = [];
  private newest = -Infinity;

  constructor(private readonly config: WindowConfig) {
    this.bucketMs = Math.max(1, Math.ceil(config.windowMs / config.buckets));
  }

  record(kind: Outcome, at: number): void {
    this.newest = Math.max(this.newest, at);
    this.records.push({ kind, at });
  }

  counts(now: number): WindowCounts {
    this.newest = Math.max(this.newest, now);
    const firstBucket = Math.floor(this.newest / this.bucketMs) - this.config.buckets + 1;
    const inside = this.records.filter((record) => record.at >= firstBucket * this.bucketMs);
    return {
      failed: inside.filter((record) => record.kind === 'failed').length,
      completed: inside.filter((record) => record.kind === 'completed').length,
    };
  }

  /** How many records are at most `age` ms older than the newest time. */
  atMostOld(age: number): number {
    return this.records.filter((record) => record.at >= this.newest - age).length;
  }

  /** How many records are less than `age` ms older than the newest time. */
  youngerThan(age: number): number {
    return this.records.filter((record) => record.at > this.newest - age).length;
  }
}

const configs: fc.Arbitrary<WindowConfig> = fc.record({
  windowMs: fc.oneof(
    fc.integer({ min: 1, max: 200 }),
    fc.integer({ min: 1, max: 600_000 }),
    fc.constantFrom(60_000, 300_000),
  ),
  buckets: fc.oneof(fc.integer({ min: 1, max: 12 }), fc.constant(60)),
  start: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2_000_000_000_000 })),
});

/** Times mostly move forward by up to a quarter window, sometimes by several; a few are late. */
function plans(windowMs: number): fc.Arbitrary<Step[]> {
  const forward = fc.oneof(
    { arbitrary: fc.constant(0), weight: 2 },
    { arbitrary: fc.integer({ min: 0, max: Math.ceil(windowMs / 4) }), weight: 6 },
    { arbitrary: fc.integer({ min: 0, max: windowMs * 3 }), weight: 1 },
  );
  const back = fc.oneof(
    { arbitrary: fc.constant(0), weight: 8 },
    { arbitrary: fc.integer({ min: 0, max: windowMs * 2 }), weight: 2 },
  );
  const step = fc.record({
    op: fc.constantFrom<Step['op']>('record', 'record', 'record', 'read'),
    kind: fc.constantFrom<Outcome>('failed', 'completed'),
    forward,
    back,
  });
  return fc.array(step, { maxLength: 120, size: 'medium' });
}

const runs = configs.chain((config) => fc.tuple(fc.constant(config), plans(config.windowMs)));

/** Play a run on the window and on the model; `check` sees both after every read. */
function play(
  config: WindowConfig,
  plan: readonly Step[],
  check: (actual: WindowCounts, expected: WindowCounts, model: RecordListWindow) => void,
  window = new FailureWindow(config.windowMs, config.buckets),
): void {
  const model = new RecordListWindow(config);
  let newest = config.start;
  for (const step of plan) {
    newest += step.forward;
    const at = Math.max(0, newest - step.back);
    if (step.op === 'record') {
      window.record(step.kind, at);
      model.record(step.kind, at);
    } else {
      check(window.counts(at), model.counts(at), model);
    }
  }
  check(window.counts(newest), model.counts(newest), model);
}

describe('FailureWindow', () => {
  describe('.counts', () => {
    describe('having random records and reads, some of them late', () => {
      it('should count exactly what a list of every record counts inside the window', () => {
        fc.assert(
          fc.property(runs, ([config, plan]) => {
            play(config, plan, (actual, expected) => {
              expectSame(actual, expected);
            });
          }),
          { numRuns: 1_000 },
        );
      });

      it('should count every record up to windowMs - bucketMs old, none buckets × bucketMs old', () => {
        fc.assert(
          fc.property(runs, ([config, plan]) => {
            play(config, plan, (actual, _expected, model) => {
              const total = actual.failed + actual.completed;
              const surely = model.atMostOld(config.windowMs - model.bucketMs);
              const atMost = model.youngerThan(config.buckets * model.bucketMs);
              if (total < surely || total > atMost) {
                expect(total).to.be.within(surely, atMost);
              }
            });
          }),
          { numRuns: 1_000 },
        );
      });
    });
  });

  describe('memory', () => {
    describe('having any amount of traffic over any stretch of time', () => {
      it('should hold one ring of `buckets` slots per outcome and nothing that grows', () => {
        fc.assert(
          fc.property(runs, ([config, plan]) => {
            const window = new FailureWindow(config.windowMs, config.buckets);
            play(config, plan, () => undefined, window);
            // Every container the window holds is as long as the bucket count: nothing grows with
            // the number of records or with the time that passed.
            const containers = Object.values(window).filter(
              (value): value is unknown[] => typeof value === 'object' && value !== null,
            );
            expect(containers).to.have.length(2);
            for (const container of containers) expect(container).to.have.lengthOf(config.buckets);
          }),
          { numRuns: 1_000 },
        );
      });
    });
  });
});
