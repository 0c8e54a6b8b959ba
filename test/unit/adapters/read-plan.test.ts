import { expect } from 'chai';
import { ReadPlan } from '../../../src/adapters/bullmq/read-plan.js';

const options = { tieredFrom: 3, blockMs: 1_000, hotForMs: 5_000, sweepMs: 200 };
const followed = (...names: string[]) => new Map(names.map((name) => [name, '0-0']));

describe('ReadPlan', () => {
  it('should read every stream, blocking, below tieredFrom streams, busy or not', () => {
    const plan = new ReadPlan(options);
    plan.entriesRead(['a'], 0);
    expect(plan.next(followed('a', 'b'), 10)).to.deep.equal({ names: ['a', 'b'], blockMs: 1_000 });
  });

  it('should read every stream, blocking, while none had entries lately', () => {
    const plan = new ReadPlan(options);
    expect(plan.next(followed('a', 'b', 'c'), 0)).to.deep.equal({
      names: ['a', 'b', 'c'],
      blockMs: 1_000,
    });
    plan.entriesRead(['b'], 0);
    // Five seconds without an entry: b is quiet again.
    expect(plan.next(followed('a', 'b', 'c'), 5_001).names).to.deep.equal(['a', 'b', 'c']);
  });

  it('should read a busy stream alone, blocking until the next sweep, and sweep every stream without blocking', () => {
    const plan = new ReadPlan(options);
    const all = followed('a', 'b', 'c', 'd');
    expect(plan.next(all, 0).blockMs).to.equal(1_000); // nothing hot: a sweep that blocks
    plan.entriesRead(['c'], 10);
    expect(plan.next(all, 50)).to.deep.equal({ names: ['c'], blockMs: 150 });
    plan.entriesRead(['c'], 60);
    expect(plan.next(all, 199)).to.deep.equal({ names: ['c'], blockMs: 1 });
    expect(plan.next(all, 200)).to.deep.equal({ names: ['a', 'b', 'c', 'd'], blockMs: null });
    expect(plan.next(all, 201)).to.deep.equal({ names: ['c'], blockMs: 199 });
  });

  it('should block for whole milliseconds (Redis refuses a fraction)', () => {
    const plan = new ReadPlan(options);
    const all = followed('a', 'b', 'c');
    plan.entriesRead(['a'], 0);
    expect(plan.next(all, 0.25).blockMs).to.equal(null);
    expect(plan.next(all, 50.5)).to.deep.equal({ names: ['a'], blockMs: 150 });
  });

  it('should forget a hot stream that is no longer followed', () => {
    const plan = new ReadPlan(options);
    plan.entriesRead(['gone', 'kept'], 0);
    // Never swept yet: a sweep first, then the hot one alone.
    expect(plan.next(followed('kept', 'x', 'y'), 1).blockMs).to.equal(null);
    expect(plan.next(followed('kept', 'x', 'y'), 2).names).to.deep.equal(['kept']);
    expect(plan.next(followed('x', 'y', 'z'), 3)).to.deep.equal({
      names: ['x', 'y', 'z'],
      blockMs: 1_000,
    });
  });

  it('should sweep many streams in slices, spread over sweepMs, each stream at least every sweepMs', () => {
    const plan = new ReadPlan({ ...options, sweepSlice: 2 });
    const all = followed('a', 'b', 'c', 'd', 'e');
    expect(plan.next(all, 0).names).to.deep.equal(['a', 'b', 'c', 'd', 'e']);
    plan.entriesRead(['c'], 0);
    // Three slices: one every 200 / 3 ms, the busy stream read alone in between.
    expect(plan.next(all, 10)).to.deep.equal({ names: ['c'], blockMs: 57 });
    expect(plan.next(all, 67)).to.deep.equal({ names: ['a', 'b'], blockMs: null });
    expect(plan.next(all, 68)).to.deep.equal({ names: ['c'], blockMs: 66 });
    expect(plan.next(all, 134)).to.deep.equal({ names: ['c', 'd'], blockMs: null });
    expect(plan.next(all, 201)).to.deep.equal({ names: ['e'], blockMs: null });
    expect(plan.next(all, 268)).to.deep.equal({ names: ['a', 'b'], blockMs: null });
  });

  it('should take a stream followed during a round of the sweep into that round', () => {
    const plan = new ReadPlan({ ...options, sweepSlice: 2 });
    const all = followed('a', 'b', 'c', 'd');
    plan.entriesRead(['a'], 0);
    expect(plan.next(all, 0).names).to.deep.equal(['a', 'b']);
    all.set('e', '0-0');
    expect(plan.next(all, 100).names).to.deep.equal(['c', 'd']);
    expect(plan.next(all, 200).names).to.deep.equal(['e']);
    expect(plan.next(all, 300).names).to.deep.equal(['a', 'b']);
  });
});
