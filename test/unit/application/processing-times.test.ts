import { expect } from 'chai';
import { ProcessingTimes } from '../../../src/application/health/processing-times.js';

describe('ProcessingTimes', () => {
  it('should keep nothing for a queue until it is seeded: the seed read includes those jobs', () => {
    const times = new ProcessingTimes(3);
    times.record('a', 10);
    expect(times.known('a')).to.equal(undefined);
    times.seed('a', [1, 2]);
    times.record('a', 10);
    expect(times.known('a')).to.deep.equal([1, 2, 10]);
  });

  it('should keep only the latest `size` times, also of a larger seed', () => {
    const times = new ProcessingTimes(2);
    times.seed('a', [1, 2, 3]);
    expect(times.known('a')).to.deep.equal([1, 2]);
    times.record('a', 4);
    times.record('a', 5);
    expect(times.known('a')).to.deep.equal([4, 5]);
  });

  it('should forget every queue, or the ones no longer watched', () => {
    const times = new ProcessingTimes(2);
    times.seed('a', [1]);
    times.seed('b', [2]);
    times.retainOnly(new Set(['b']));
    expect(times.known('a')).to.equal(undefined);
    expect(times.known('b')).to.deep.equal([2]);
    times.forgetAll();
    expect(times.known('b')).to.equal(undefined);
  });
});
