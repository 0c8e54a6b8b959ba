import { expect } from 'chai';
import { BatchPacer } from '../../../src/domain/subscriptions/index.js';

interface Group {
  readonly name: string;
}

describe('BatchPacer', () => {
  const busy: Group = { name: 'busy' };
  const quiet: Group = { name: 'quiet' };

  describe('.offer', () => {
    it("should send a group's first share at once, and hold the next one until its interval ends", () => {
      const pacer = new BatchPacer<Group, string>(20);
      expect(pacer.offer(busy, ['a'], 100)).to.deep.equal(['a']);
      expect(pacer.offer(busy, ['b'], 105)).to.equal(null);
      expect(pacer.offer(busy, ['c', 'd'], 110)).to.equal(null);
      expect(pacer.waitingFor(busy)).to.deep.equal(['b', 'c', 'd']);
      expect(pacer.nextDueAt()).to.equal(120);
    });

    it("should not let one group's pace hold another group's share", () => {
      const pacer = new BatchPacer<Group, string>(20);
      pacer.offer(busy, ['a'], 100);
      expect(pacer.offer(busy, ['b'], 101)).to.equal(null);
      expect(pacer.offer(quiet, ['x'], 102)).to.deep.equal(['x']);
      expect(pacer.waitingFor(quiet)).to.deep.equal([]);
    });

    it('should send at once again once a whole interval has passed since the last batch', () => {
      const pacer = new BatchPacer<Group, string>(20);
      pacer.offer(busy, ['a'], 100);
      expect(pacer.offer(busy, ['b'], 120)).to.deep.equal(['b']);
      expect(pacer.offer(busy, ['c'], 139.5)).to.equal(null);
    });
  });

  describe('.due', () => {
    it('should hand out, in one share each and in order, what waited for the groups whose interval ended', () => {
      const pacer = new BatchPacer<Group, string>(20);
      pacer.offer(busy, ['a'], 100);
      pacer.offer(quiet, ['x'], 110);
      pacer.offer(quiet, ['y'], 111);
      pacer.offer(busy, ['b'], 112);
      pacer.offer(busy, ['c'], 115);
      expect(pacer.nextDueAt()).to.equal(120);
      expect(pacer.due(119)).to.deep.equal([]);
      expect(pacer.due(120)).to.deep.equal([[busy, ['b', 'c']]]);
      expect(pacer.nextDueAt()).to.equal(130);
      expect(pacer.due(131)).to.deep.equal([[quiet, ['y']]]);
      expect(pacer.nextDueAt()).to.equal(null);
      // The batch sent at 120 starts the busy group's next interval.
      expect(pacer.offer(busy, ['d'], 139)).to.equal(null);
      expect(pacer.nextDueAt()).to.equal(140);
    });
  });

  describe('.forget', () => {
    it('should drop what waits for a group that has no members left', () => {
      const pacer = new BatchPacer<Group, string>(20);
      pacer.offer(busy, ['a'], 100);
      pacer.offer(busy, ['b'], 101);
      pacer.forget(busy);
      expect(pacer.nextDueAt()).to.equal(null);
      expect(pacer.due(1_000)).to.deep.equal([]);
    });

    it('should still send the groups that wait until the same moment as a forgotten one', () => {
      const pacer = new BatchPacer<Group, string>(20);
      pacer.offer(busy, ['a'], 100);
      pacer.offer(quiet, ['x'], 100);
      pacer.offer(busy, ['b'], 101);
      pacer.offer(quiet, ['y'], 102);
      pacer.forget(busy);
      expect(pacer.nextDueAt()).to.equal(120);
      expect(pacer.due(120)).to.deep.equal([[quiet, ['y']]]);
    });
  });
});
