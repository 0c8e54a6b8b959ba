import { expect } from 'chai';
import { ConnectionClosedError, QueueKeys, RedisConnection } from 'bullmq';
import { Redis } from 'ioredis';
import { AlertWorkerBackend } from '../../src/adapters/bullmq/alert-jobs.js';
import { redisFailureOf } from '../../src/adapters/redis/redis-failure.js';
import { useRedisServer } from '../support/redis-harness.js';
import { waitFor } from '../support/wait-for.js';

describe("the alert worker's BullMQ backend (real Redis, stopped under it)", () => {
  const redis = useRedisServer();

  it('should report a fetch refused while Redis is away as a lost connection, so BullMQ waits before asking again', async function () {
    this.timeout(20_000);
    // As Queuewatch's command connection: no offline queue, a command in flight given up at once.
    const client = new Redis(redis().url, { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    client.on('error', () => undefined);
    try {
      await waitFor(
        'the client to be ready',
        () => client.status,
        (status) => status === 'ready',
        5_000,
      );
      const keys = new QueueKeys('bull');
      const backend = new AlertWorkerBackend(
        (error) => redisFailureOf(error) === 'unavailable',
        new RedisConnection(client, { shared: true, blocking: false }),
        'alerts',
        keys.getKeys('alerts'),
        (type) => keys.toKey('alerts', type),
        { connection: client },
      );
      // Redis up: an empty queue gives no job, and no error.
      const [jobData] = await backend.moveToActive('worker:1');
      expect(jobData).to.equal(null);

      await redis().stop();
      await waitFor(
        'the client to lose Redis',
        () => client.status,
        (status) => status !== 'ready',
        10_000,
      );
      const refused = await backend.moveToActive('worker:2').then(
        () => null,
        (error: unknown) => error,
      );
      expect(refused).to.be.instanceOf(ConnectionClosedError);
      expect((refused as Error).message).to.match(/Stream isn't writeable|Connection is closed/);
    } finally {
      client.disconnect();
    }
  });
});
