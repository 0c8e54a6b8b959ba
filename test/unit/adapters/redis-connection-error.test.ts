import { EventEmitter } from 'node:events';
import { expect } from 'chai';
import { onConnectionError } from '../../../src/adapters/redis/redis-connection.js';
import type { RedisClient } from '../../../src/adapters/redis/redis-connection.js';

/** An error named as ioredis names a cluster client's "no node answered". */
function clusterAllFailed(): Error {
  const error = new Error('Failed to refresh slots cache.');
  error.name = 'ClusterAllFailedError';
  return error;
}

describe('onConnectionError', () => {
  it('should add a cluster node\'s own error to the cluster\'s "Failed to refresh slots cache."', () => {
    const connection = new EventEmitter();
    const reasons: string[] = [];
    onConnectionError(connection as unknown as RedisClient, (reason) => reasons.push(reason));
    connection.emit('error', clusterAllFailed());
    connection.emit(
      'node error',
      new Error('WRONGPASS invalid username-password pair or user is disabled.'),
      '127.0.0.1:7001',
    );
    connection.emit('error', clusterAllFailed());
    connection.emit('error', new Error('connect ECONNREFUSED 127.0.0.1:6379'));
    // Back, then gone again: the last outage's node error is not this one's.
    connection.emit('ready');
    connection.emit('error', clusterAllFailed());
    expect(reasons).to.deep.equal([
      'Failed to refresh slots cache.',
      'Failed to refresh slots cache. Last node error: WRONGPASS invalid username-password pair or user is disabled. (127.0.0.1:7001)',
      'connect ECONNREFUSED 127.0.0.1:6379',
      'Failed to refresh slots cache.',
    ]);
  });
});
