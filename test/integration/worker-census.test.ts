import { expect } from 'chai';
import { Redis } from 'ioredis';
import { countWorkers } from '../../src/adapters/bullmq/worker-census.js';
import { useRedisServer } from '../support/redis-harness.js';

const base64 = (text: string) => Buffer.from(text).toString('base64');

describe('worker census (real Redis)', () => {
  const redis = useRedisServer();
  const connections: Redis[] = [];

  /** A connection named as given, connected before the census runs. */
  async function named(name: string): Promise<void> {
    const connection = new Redis(redis().url, { connectionName: name, lazyConnect: true });
    connections.push(connection);
    await connection.connect();
  }

  after(() => {
    for (const connection of connections) connection.disconnect();
  });

  it('should count each queue’s workers by the name BullMQ gives their connection, and nothing else', async () => {
    // Names whose base64 holds '+', '/' and '=' padding, and one with a colon.
    const odd = 'tenant:ä/β?>>';
    await named(`bull:${base64('payments')}`);
    await named(`bull:${base64('payments')}:w:worker-1`);
    await named(`bull:${base64(odd)}:w:worker-2`);
    // Not workers of a watched queue: another prefix, a prefix alone, a name that is not base64.
    await named(`other:${base64('payments')}`);
    await named('bull:');
    await named('bull:not base64!');
    await named(`bull:${base64('payments')}:events`);
    const admin = new Redis(redis().url);
    try {
      const counts = await countWorkers(admin, 'bull', ['payments', odd, 'idle']);
      expect(counts?.get('payments')).to.equal(2);
      expect(counts?.get(odd)).to.equal(1);
      expect(counts?.get('idle') ?? 0).to.equal(0);
    } finally {
      admin.disconnect();
    }
  });
});
