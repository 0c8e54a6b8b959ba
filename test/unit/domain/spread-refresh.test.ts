import { expect } from 'chai';
import { dueAgain, phaseOf } from '../../../src/domain/cadence/spread-refresh.js';

describe('spread refresh', () => {
  it('should give each name a moment within the period, the same every time', () => {
    const phases = Array.from({ length: 1_000 }, (_, index) =>
      phaseOf(`q${String(index)}`, 10_000),
    );
    for (const phase of phases) expect(phase).to.be.within(0, 9_999);
    expect(phaseOf('q1', 10_000)).to.equal(phases[1]);
    // Spread: every tenth of the period holds some of them, none most of them.
    const tenths = new Array<number>(10).fill(0);
    for (const phase of phases) tenths[Math.floor(phase / 1_000)]! += 1;
    expect(Math.min(...tenths)).to.be.above(50);
    expect(Math.max(...tenths)).to.be.below(150);
  });

  it('should be due once the moment came round since the last read, and never later than one period', () => {
    const phase = 2_500;
    expect(dueAgain(phase, 10_000, 1_000, 2_499)).to.equal(false);
    expect(dueAgain(phase, 10_000, 1_000, 2_500)).to.equal(true);
    // Read just after its moment: due at the next one, a whole period later.
    expect(dueAgain(phase, 10_000, 2_500, 12_499)).to.equal(false);
    expect(dueAgain(phase, 10_000, 2_500, 12_500)).to.equal(true);
    for (let last = 0; last < 20_000; last += 777) {
      expect(dueAgain(phase, 10_000, last, last + 10_000), String(last)).to.equal(true);
    }
  });

  it('should be due at once when the clock was set back before the last read', () => {
    // Read at 25,000 with its moment at 3,000: next due at 33,000 — and at any time before 25,000.
    expect(dueAgain(3_000, 10_000, 25_000, 25_000)).to.equal(false);
    expect(dueAgain(3_000, 10_000, 25_000, 24_999)).to.equal(true);
    expect(dueAgain(3_000, 10_000, 25_000, 25_000 - 3_600_000)).to.equal(true);
  });

  it('should always be due with a period of 0', () => {
    expect(phaseOf('q', 0)).to.equal(0);
    expect(dueAgain(0, 0, 5, 5)).to.equal(true);
  });
});
