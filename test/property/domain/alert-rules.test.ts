import { expect } from 'chai';
import fc from 'fast-check';
import {
  readFailures,
  stepAlert,
  type AlertState,
  type AlertTransition,
  type FailureThreshold,
} from '../../../src/domain/alerting/index.js';
import { FailureWindow } from '../../../src/domain/failure-rate/index.js';
import { expectSame } from '../support/expect-same.js';

/** A threshold the config loader lets through: clearCount below count, a rate in (0, 1] or none. */
const thresholdsUpTo = (maxCount: number): fc.Arbitrary<FailureThreshold> =>
  fc
    .record({
      count: fc.integer({ min: 1, max: maxCount }),
      clearShare: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      windowMs: fc.integer({ min: 1, max: 600_000 }),
      rate: fc.option(
        fc.oneof(
          fc.constantFrom(0.05, 0.1, 0.25, 0.5, 1),
          fc.double({ min: Number.EPSILON, max: 1, noNaN: true }),
        ),
        { nil: null },
      ),
      minVolume: fc.integer({ min: 1, max: 30 }),
    })
    .map(({ count, clearShare, ...rest }) => ({
      ...rest,
      count,
      clearCount: Math.floor(count * clearShare),
    }));
const thresholds = thresholdsUpTo(30);

/** Window counts anywhere, or close to the threshold's edges (count, clearCount, rate, rate / 2). */
const edgyCounts = (threshold: FailureThreshold) =>
  fc.oneof(
    fc.record({ failed: fc.nat({ max: 40 }), completed: fc.nat({ max: 80 }) }),
    fc
      .record({
        failed: fc.oneof(
          fc.constantFrom(threshold.clearCount, threshold.clearCount + 1),
          fc.constantFrom(threshold.count - 1, threshold.count),
          fc.nat({ max: threshold.count }),
        ),
        share: fc.constantFrom(threshold.rate ?? 0.5, (threshold.rate ?? 0.5) / 2),
        nudge: fc.integer({ min: -2, max: 2 }),
      })
      .map(({ failed, share, nudge }) => ({
        failed,
        completed: Math.max(0, Math.round(failed / share - failed) + nudge),
      })),
  );

/** A threshold and window counts to judge against it. */
const thresholdAndCounts = thresholds.chain((threshold) =>
  fc.tuple(fc.constant(threshold), edgyCounts(threshold)),
);

interface Reading {
  readonly breached: boolean;
  readonly cleared: boolean;
}
const breached: Reading = { breached: true, cleared: false };
const between: Reading = { breached: false, cleared: false };
const cleared: Reading = { breached: false, cleared: true };

interface Run {
  readonly repeatIntervalMs: number;
  readonly start: number;
  readonly steps: readonly { readonly reading: Reading; readonly dt: number }[];
}

/** Readings over time: time mostly moves on, sometimes stands still, now and then goes back. */
const runs: fc.Arbitrary<Run> = fc.record({
  repeatIntervalMs: fc.integer({ min: 1, max: 10_000 }),
  start: fc.integer({ min: 0, max: 2_000_000_000_000 }),
  steps: fc.array(
    fc.record({
      reading: fc.constantFrom(breached, between, cleared),
      dt: fc.oneof(
        { arbitrary: fc.integer({ min: 0, max: 12_000 }), weight: 8 },
        { arbitrary: fc.integer({ min: -3_000, max: 0 }), weight: 1 },
      ),
    }),
    { maxLength: 80, size: 'medium' },
  ),
});

interface Traced {
  readonly reading: Reading;
  readonly now: number;
  readonly before: AlertState;
  readonly after: AlertState;
  readonly transition: AlertTransition;
}

/** Feed a run through the state machine, one reading after another. */
function trace(run: Run): Traced[] {
  let state: AlertState = { status: 'ok' };
  let now = run.start;
  return run.steps.map(({ reading, dt }) => {
    now += dt;
    const before = state;
    const step = stepAlert(state, reading, now, run.repeatIntervalMs);
    state = step.state;
    return { reading, now, before, after: step.state, transition: step.transition };
  });
}

const letter = { fire: 'F', repeat: 'P', resolve: 'R' } as const;

describe('stepAlert', () => {
  describe('having any sequence of readings at any times', () => {
    it('should notify in incidents of fire, repeats, resolve: never a second fire or a stray resolve', () => {
      fc.assert(
        fc.property(runs, (run) => {
          const notices = trace(run)
            .map(({ transition }) => (transition === null ? '' : letter[transition]))
            .join('');
          expect(notices).to.match(/^(FP*R)*(FP*)?$/);
        }),
        { numRuns: 1_000 },
      );
    });

    it('should notify exactly as the rule says, given the last notice as the reference keeps it', () => {
      fc.assert(
        fc.property(runs, (run) => {
          // The reference: only "firing or not" and the time of the last notice.
          let firing = false;
          let since = 0;
          let lastNotice = 0;
          for (const { reading, now, after, transition } of trace(run)) {
            let expected: AlertTransition = null;
            if (!firing && reading.breached) expected = 'fire';
            else if (firing && reading.cleared) expected = 'resolve';
            else if (firing && reading.breached && now - lastNotice >= run.repeatIntervalMs)
              expected = 'repeat';
            if (expected === 'fire') [firing, since] = [true, now];
            if (expected === 'resolve') firing = false;
            if (expected === 'fire' || expected === 'repeat') lastNotice = now;
            expectSame(
              { transition, state: after },
              {
                transition: expected,
                state: firing
                  ? { status: 'firing', since, notifiedAt: lastNotice }
                  : { status: 'ok' },
              },
              `at ${String(now)} reading ${JSON.stringify(reading)}`,
            );
          }
        }),
        { numRuns: 1_000 },
      );
    });

    it('should space the notices of one incident by at least the repeat interval', () => {
      fc.assert(
        fc.property(runs, (run) => {
          let previous: number | null = null;
          for (const { now, transition } of trace(run)) {
            if (transition === 'fire') previous = now;
            if (transition === 'repeat') {
              expect(previous).to.not.equal(null);
              expect(now - previous!).to.be.at.least(run.repeatIntervalMs);
              previous = now;
            }
            if (transition === 'resolve') previous = null;
          }
        }),
        { numRuns: 1_000 },
      );
    });

    it('should change nothing on a reading between the trigger and the clear level', () => {
      fc.assert(
        fc.property(runs, (run) => {
          for (const { reading, before, after, transition } of trace(run)) {
            if (reading.breached || reading.cleared) continue;
            if (transition !== null || after !== before) {
              expect({ transition, after }).to.deep.equal({ transition: null, after: before });
            }
          }
        }),
        { numRuns: 1_000 },
      );
    });
  });
});

describe('readFailures', () => {
  describe('having any valid threshold and any window counts', () => {
    it('should never read breached and cleared at once', () => {
      fc.assert(
        fc.property(thresholdAndCounts, ([threshold, counts]) => {
          const reading = readFailures(counts, threshold);
          expect(reading.breached && reading.cleared).to.equal(false);
        }),
        { numRuns: 2_000 },
      );
    });

    it('should breach and clear as the threshold documents', () => {
      fc.assert(
        fc.property(thresholdAndCounts, ([threshold, counts]) => {
          const reading = readFailures(counts, threshold);
          const finished = counts.failed + counts.completed;
          // The rate is judged only when one is set and minVolume jobs finished in the window;
          // it triggers at `rate` and clears below half of it.
          const judged = threshold.rate !== null && finished >= threshold.minVolume;
          const share = counts.failed / finished;
          expect(reading.rateCounts).to.equal(judged);
          expect(reading.breached).to.equal(
            counts.failed >= threshold.count || (judged && share >= threshold.rate),
          );
          expect(reading.cleared).to.equal(
            counts.failed <= threshold.clearCount && (!judged || share < threshold.rate / 2),
          );
        }),
        { numRuns: 2_000 },
      );
    });

    it('should not breach less, nor clear more, with one more failure', () => {
      fc.assert(
        fc.property(thresholdAndCounts, ([threshold, counts]) => {
          const now = readFailures(counts, threshold);
          const worse = readFailures({ ...counts, failed: counts.failed + 1 }, threshold);
          if (now.breached) expect(worse.breached).to.equal(true);
          if (!now.cleared) expect(worse.cleared).to.equal(false);
        }),
        { numRuns: 2_000 },
      );
    });

    it('should give a failure and a success rate that add up to 1, or none when nothing finished', () => {
      fc.assert(
        fc.property(thresholdAndCounts, ([threshold, counts]) => {
          const reading = readFailures(counts, threshold);
          expect(reading).to.include({ failed: counts.failed, completed: counts.completed });
          if (counts.failed + counts.completed === 0) {
            expect(reading).to.include({ failureRate: null, successRate: null });
          } else {
            expect(reading.failureRate).to.be.within(0, 1);
            expect(reading.failureRate! + reading.successRate!).to.be.closeTo(1, 1e-12);
          }
        }),
        { numRuns: 1_000 },
      );
    });
  });
});

describe('failure rule (window → readFailures → stepAlert)', () => {
  describe('having random traffic judged now and then', () => {
    it('should fire only on a breach of the window, resolve only once it cleared, and alternate', () => {
      // Steps in time are scaled to the window, so incidents start and end within a run.
      const runsOfTraffic = thresholdsUpTo(12).chain((threshold) =>
        fc.tuple(
          fc.constant(threshold),
          fc.array(
            fc.record({
              what: fc.constantFrom('failed', 'failed', 'completed', 'judge', 'judge'),
              dt: fc.oneof(
                {
                  arbitrary: fc.integer({ min: 0, max: Math.ceil(threshold.windowMs / 10) }),
                  weight: 9,
                },
                { arbitrary: fc.integer({ min: 0, max: threshold.windowMs * 2 }), weight: 1 },
              ),
            }),
            { maxLength: 200, size: 'medium' },
          ),
          fc.integer({ min: 1, max: threshold.windowMs }),
        ),
      );
      fc.assert(
        fc.property(runsOfTraffic, ([threshold, events, repeatMs]) => {
          const window = new FailureWindow(threshold.windowMs);
          let state: AlertState = { status: 'ok' };
          let now = 0;
          let notices = '';
          for (const { what, dt } of events) {
            now += dt;
            if (what !== 'judge') {
              window.record(what, now);
              continue;
            }
            const counts = window.counts(now);
            const step = stepAlert(state, readFailures(counts, threshold), now, repeatMs);
            state = step.state;
            if (step.transition === 'fire' || step.transition === 'repeat') {
              const finished = counts.failed + counts.completed;
              const rateBreached =
                threshold.rate !== null &&
                finished >= threshold.minVolume &&
                counts.failed / finished >= threshold.rate;
              expect(counts.failed >= threshold.count || rateBreached).to.equal(true);
            }
            if (step.transition === 'resolve') {
              expect(counts.failed).to.be.at.most(threshold.clearCount);
            }
            if (step.transition !== null) notices += letter[step.transition];
          }
          expect(notices).to.match(/^(FP*R)*(FP*)?$/);
        }),
        { numRuns: 1_000 },
      );
    });
  });
});
