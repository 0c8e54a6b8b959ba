import { once } from 'node:events';
import { expect } from 'chai';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { ScanQueueDiscovery } from '../../src/adapters/bullmq/scan-queue-discovery.js';
import { useRedisServer } from '../support/redis-harness.js';

describe('ScanQueueDiscovery (real Redis, real BullMQ)', () => {
  const redis = useRedisServer();

  it('should find every queue under the prefix, and only those', async () => {
    const queues = [
      new Queue('alpha', { connection: { url: redis().url } }),
      new Queue('beta', { connection: { url: redis().url } }),
      new Queue('gamma', { connection: { url: redis().url }, prefix: 'other' }),
    ];
    const connection = new Redis(redis().url);
    try {
      await Promise.all(queues.map((queue) => queue.add('job', {})));
      await connection.set('bull:not-a-queue', 'x');
      if (connection.status !== 'ready') await once(connection, 'ready');
      expect(await new ScanQueueDiscovery(connection, 'bull', 2).discover()).to.deep.equal([
        'alpha',
        'beta',
      ]);
      expect(await new ScanQueueDiscovery(connection, 'other').discover()).to.deep.equal(['gamma']);
    } finally {
      await Promise.all(queues.map((queue) => queue.close()));
      connection.disconnect();
    }
  });
});
