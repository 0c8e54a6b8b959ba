import { expect } from 'chai';
import { Redis } from 'ioredis';
import { RedisHistoryStore } from '../../src/adapters/redis/redis-history-store.js';
import { useRedisServer } from '../support/redis-harness.js';

/** A burst of stream entries is counted over several short calls, each entry once. */
describe('history script time budget (real Redis)', () => {
  const redis = useRedisServer();
  let connection: Redis;
  before(() => {
    connection = new Redis(redis().url);
  });
  after(() => {
    connection.disconnect();
  });
  beforeEach(async () => {
    await connection.flushall();
  });

  async function burst(queue: string, jobs: number): Promise<void> {
    const pipeline = connection.pipeline();
    for (let n = 0; n < jobs; n += 1) {
      pipeline.xadd(`bull:${queue}:events`, '*', 'event', 'added', 'jobId', String(n), 'name', 'j');
    }
    await pipeline.exec();
  }

  const store = (budgetMicros: number) =>
    new RedisHistoryStore(connection, 'bull', {
      minuteTtlSeconds: 3_600,
      hourTtlSeconds: 86_400,
      entriesPerCall: 1_000,
      budgetMicros,
    });

  it('should stop after a hundred entries once its time is spent, and go on from there next call', async () => {
    await burst('burst', 250);
    const history = store(0);
    const calls = [];
    for (let call = 0; call < 5; call += 1) {
      const progress = await history.record('burst', 1);
      calls.push([progress.counted, progress.more]);
      if (!progress.more) break;
    }
    expect(calls).to.deep.equal([
      [100, true],
      [100, true],
      [50, false],
    ]);
    const totals = await history.totals(['burst']);
    expect(totals.get('burst')?.added).to.equal(250);
  });

  it('should count the whole burst in one call when its time allows', async () => {
    await burst('calm', 250);
    const history = store(1_000_000);
    const progress = await history.record('calm', 1);
    expect(progress).to.deep.include({ counted: 250, more: false });
    expect((await history.totals(['calm'])).get('calm')?.added).to.equal(250);
  });
});
