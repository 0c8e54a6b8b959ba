import { expect } from 'chai';
import { QueueActivity } from '../../../src/application/health/queue-activity.js';

describe('QueueActivity', () => {
  describe('.changedSince', () => {
    it('should say a queue changed only when it was touched after the mark', () => {
      const activity = new QueueActivity();
      activity.touch(['a']);
      const mark = activity.mark();
      expect(activity.changedSince('a', mark)).to.equal(false);
      activity.touch(['b']);
      expect(activity.changedSince('a', mark)).to.equal(false);
      expect(activity.changedSince('b', mark)).to.equal(true);
      expect(activity.changedSince('b', activity.mark())).to.equal(false);
    });

    it('should count a queue never touched as unchanged, and a touch before any mark as a change', () => {
      const activity = new QueueActivity();
      expect(activity.changedSince('never', activity.mark())).to.equal(false);
      activity.touch(['early']);
      expect(activity.changedSince('early', 0)).to.equal(true);
    });

    it('having touchAll, should say every queue changed, known or not', () => {
      const activity = new QueueActivity();
      activity.touch(['a']);
      const mark = activity.mark();
      activity.touchAll();
      expect(activity.changedSince('a', mark)).to.equal(true);
      expect(activity.changedSince('unknown', mark)).to.equal(true);
      expect(activity.changedSince('a', activity.mark())).to.equal(false);
    });
  });

  describe('.retainOnly', () => {
    it('should forget the queues no longer watched', () => {
      const activity = new QueueActivity();
      const mark = activity.mark();
      activity.touch(['kept', 'dropped']);
      activity.retainOnly(new Set(['kept']));
      expect(activity.changedSince('kept', mark)).to.equal(true);
      expect(activity.changedSince('dropped', mark)).to.equal(false);
    });
  });
});
