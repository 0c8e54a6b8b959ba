import { expect } from 'chai';
import {
  allowedActions,
  consoleActions,
  refusalOf,
} from '../../../src/domain/console/permissions.js';

describe('refusalOf', () => {
  it('should let a viewer change nothing', () => {
    for (const action of consoleActions) {
      expect(refusalOf('viewer', action, false), action).to.equal('role-too-low');
    }
  });

  it('should let an operator keep jobs moving, and not destroy or send', () => {
    expect(allowedActions('operator', false)).to.have.members([
      'retry',
      'retry-all',
      'promote',
      'promote-all',
      'pause',
      'resume',
      'reenqueue',
      'duplicate',
      'add-job',
      'silence',
    ]);
    for (const action of ['remove', 'clean', 'drain', 'test-alert'] as const) {
      expect(refusalOf('operator', action, false), action).to.equal('role-too-low');
    }
  });

  it('should let an admin do everything', () => {
    expect(allowedActions('admin', false)).to.have.members([...consoleActions]);
  });

  it('should refuse every change in read-only mode, whatever the role', () => {
    for (const action of consoleActions) {
      expect(refusalOf('admin', action, true), action).to.equal('read-only');
    }
    expect(allowedActions('admin', true)).to.deep.equal([]);
  });
});
