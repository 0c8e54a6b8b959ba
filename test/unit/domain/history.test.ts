import { expect } from 'chai';
import {
  bucketOf,
  bucketRange,
  mergeHistograms,
  quantileOf,
} from '../../../src/domain/history/latency-histogram.js';
import {
  combineSamples,
  type HistorySample,
  seriesOf,
  stepsOf,
} from '../../../src/domain/history/history-series.js';

const minute = 60_000;
const now = Date.UTC(2026, 10, 30, 12, 30, 15);
const thisMinute = Date.UTC(2026, 10, 30, 12, 30);

function sample(at: number, changes: Partial<HistorySample> = {}): HistorySample {
  return {
    at,
    added: 0,
    completed: 0,
    failed: 0,
    retried: 0,
    backlog: null,
    active: null,
    workers: null,
    wait: new Map(),
    processing: new Map(),
    ...changes,
  };
}

describe('latency histogram', () => {
  it('should put every duration in the bucket whose range holds it', () => {
    for (const ms of [1, 2, 3, 5, 7, 8, 100, 999, 1_000, 65_537, 3_600_000, 86_400_000]) {
      const { from, to } = bucketRange(bucketOf(ms));
      expect(ms, String(ms)).to.be.at.least(from);
      expect(ms, String(ms)).to.be.below(to);
      // A bucket is at most a quarter of its lower bound wide.
      expect(to - from, String(ms)).to.be.at.most(Math.max(1, from / 4));
    }
  });

  it('should keep zero and nonsense in bucket 0, and order buckets as durations', () => {
    expect([0, -5, Number.NaN, 0.4].map(bucketOf)).to.deep.equal([0, 0, 0, 0]);
    const buckets = [1, 10, 100, 1_000, 10_000].map(bucketOf);
    expect([...buckets].sort((a, b) => a - b)).to.deep.equal(buckets);
    expect(new Set(buckets).size).to.equal(5);
  });

  it('should answer a quantile within an eighth of the true value', () => {
    const durations = Array.from({ length: 1_000 }, (_, index) => 10 + index * 3);
    const histogram = mergeHistograms(durations.map((ms) => new Map([[bucketOf(ms), 1]])));
    for (const quantile of [0.5, 0.95]) {
      const truth = durations[Math.ceil(quantile * durations.length) - 1] ?? 0;
      const estimate = quantileOf(histogram, quantile) ?? -1;
      expect(Math.abs(estimate - truth) / truth, String(quantile)).to.be.at.most(0.125);
    }
    expect(quantileOf(new Map(), 0.5)).to.equal(null);
  });
});

describe('history series', () => {
  it('should cover the range with one point per step, ending with the step in progress', () => {
    const steps = stepsOf('1h', now);
    expect(steps).to.have.length(60);
    expect(steps.at(-1)).to.equal(thisMinute);
    expect(steps[0]).to.equal(thisMinute - 59 * minute);
    const days = stepsOf('30d', now);
    expect(days).to.have.length(720);
    expect((days[1] ?? 0) - (days[0] ?? 0)).to.equal(3_600_000);
  });

  it('should fill the steps with nothing kept with zero counts and no readings', () => {
    const points = seriesOf('1h', now, [sample(thisMinute, { completed: 4, backlog: 2 })]);
    expect(points.at(-1)).to.include({ completed: 4, backlog: 2 });
    expect(points[0]).to.include({ completed: 0, backlog: null, waitP50Ms: null });
  });

  it('should leave out a point from the future and never show a negative count', () => {
    const points = seriesOf('1h', now, [
      sample(thisMinute + 5 * minute, { completed: 99 }),
      sample(thisMinute - minute, { completed: -3 }),
    ]);
    expect(points.map((point) => point.completed).reduce((sum, count) => sum + count)).to.equal(0);
    expect(points.every((point) => point.at <= thisMinute)).to.equal(true);
  });

  it("should add several queues' samples, readings and durations up", () => {
    const combined = combineSamples(thisMinute, [
      sample(thisMinute, { completed: 2, backlog: 5, wait: new Map([[4, 1]]) }),
      sample(thisMinute, { completed: 3, backlog: null, wait: new Map([[4, 2]]) }),
    ]);
    expect(combined).to.include({ completed: 5, backlog: 5, workers: null });
    expect([...combined.wait]).to.deep.equal([[4, 3]]);
  });
});
