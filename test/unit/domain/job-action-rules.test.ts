import { expect } from 'chai';
import {
  stateAllows,
  statesAllowing,
  type JobStateName,
} from '../../../src/domain/console/job-action-rules.js';

const every: JobStateName[] = [
  'waiting',
  'prioritized',
  'active',
  'delayed',
  'completed',
  'failed',
  'waiting-children',
  'unknown',
];

describe('job action rules', () => {
  describe(stateAllows.name, () => {
    it('should retry only a finished job', () => {
      expect(every.filter((state) => stateAllows('retry', state))).to.deep.equal([
        'completed',
        'failed',
      ]);
    });

    it('should promote only a delayed job', () => {
      expect(every.filter((state) => stateAllows('promote', state))).to.deep.equal(['delayed']);
    });

    it('should not remove a job a worker holds, nor one in no state', () => {
      expect(stateAllows('remove', 'active')).to.equal(false);
      expect(stateAllows('remove', 'unknown')).to.equal(false);
      expect(stateAllows('remove', 'failed')).to.equal(true);
    });

    it('should copy a job in any state it can be found in', () => {
      expect(every.filter((state) => !stateAllows('duplicate', state))).to.deep.equal(['unknown']);
    });
  });

  describe(statesAllowing.name, () => {
    it('should name the states an action starts from, for a message', () => {
      expect(statesAllowing('retry')).to.deep.equal(['failed', 'completed']);
    });
  });
});
