import { expect } from 'chai';
import { chooseDemoRedis } from '../../../src/demo/demo-redis.js';

describe('chooseDemoRedis', () => {
  it('should start a private redis-server when REDIS_URL is unset', () => {
    expect(chooseDemoRedis({})).to.deep.equal({ kind: 'private' });
  });

  it('should count an empty REDIS_URL as unset', () => {
    expect(chooseDemoRedis({ REDIS_URL: '' })).to.deep.equal({ kind: 'private' });
  });

  it('should use the Redis that REDIS_URL names', () => {
    expect(chooseDemoRedis({ REDIS_URL: 'redis://:pw@cache:6380/2' })).to.deep.equal({
      kind: 'given',
      url: 'redis://:pw@cache:6380/2',
    });
  });
});
