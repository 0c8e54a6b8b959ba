import { expect } from 'chai';
import { recentRate } from '../../../src/domain/forecast/arrival-rate.js';

const minute = (jobs: number) => ({ jobs, ms: 60_000 });

describe('recentRate', () => {
  it('should pool every minute of steady arrivals, noise included', () => {
    // Poisson-like scatter around 300 a minute: all within noise, so all pooled.
    const counts = [290, 312, 305, 284, 309, 300].map(minute);
    expect(recentRate(counts)).to.be.closeTo(1_800 / 360, 1e-9);
  });

  it('should start over at a step down, from the stretch after it only', () => {
    const surge = [2_400, 2_400, 2_400].map(minute);
    // 20 s of surge and 40 s at 5 jobs/s, then 20 s of the minute in progress at 5 jobs/s.
    const counts = [...surge, minute(800 + 200), { jobs: 100, ms: 20_000 }];
    expect(recentRate(counts)).to.be.closeTo(5, 1e-9);
  });

  it('should start over at a step up as well', () => {
    const counts = [...[60, 61, 59].map(minute), minute(600), minute(612)];
    expect(recentRate(counts)).to.be.closeTo(1_212 / 120, 1e-9);
  });

  it('should not cut the window for a burst that Poisson noise or a fifth explains', () => {
    // 10 % above the rest: more than three standard errors at this volume, but under a fifth.
    const counts = [...[6_000, 6_000, 6_000].map(minute), minute(6_600)];
    expect(recentRate(counts)).to.be.closeTo(24_600 / 240, 1e-9);
    // Twice the rate, but at one or two jobs a minute nothing can be told apart.
    expect(recentRate([1, 2, 1].map(minute))).to.be.closeTo(4 / 180, 1e-9);
  });

  it('should tell an empty stretch from a busy one when the count is large enough', () => {
    expect(recentRate([minute(1_200), { jobs: 0, ms: 5_000 }])).to.equal(0);
    expect(recentRate([minute(1), { jobs: 0, ms: 5_000 }])).to.be.closeTo(1 / 65, 1e-9);
  });

  it('should answer null without time counted, and skip what cannot be counted', () => {
    expect(recentRate([])).to.equal(null);
    expect(recentRate([{ jobs: 5, ms: 0 }])).to.equal(null);
    expect(recentRate([minute(60), { jobs: Number.NaN, ms: 60_000 }])).to.equal(1);
    expect(recentRate([minute(-3)])).to.equal(0);
  });
});
