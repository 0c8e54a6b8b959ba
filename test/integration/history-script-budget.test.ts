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

  /** One queue recorded on its own: its progress. */
  async function recordOne(history: RedisHistoryStore, queueName: string) {
    const [outcome] = await history.record([{ queueName, workers: 1, takeReadings: true }]);
    if (!outcome || outcome instanceof Error) throw outcome ?? new Error('no outcome');
    return outcome;
  }

  it('should stop after a hundred entries once its time is spent, and go on from there next call', async () => {
    await burst('burst', 250);
    const history = store(0);
    const calls = [];
    for (let call = 0; call < 5; call += 1) {
      const progress = await recordOne(history, 'burst');
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
    const progress = await recordOne(history, 'calm');
    expect(progress).to.deep.include({ counted: 250, more: false });
    expect((await history.totals(['calm'])).get('calm')?.added).to.equal(250);
  });

  it('should count several queues in one call, each its own entries', async () => {
    await burst('one', 30);
    await burst('two', 120);
    const history = store(1_000_000);
    const outcomes = await history.record([
      { queueName: 'one', workers: 2, takeReadings: true },
      { queueName: 'two', workers: null, takeReadings: true },
      { queueName: 'none', workers: 0, takeReadings: true },
    ]);
    expect(outcomes).to.deep.equal([
      { counted: 30, more: false, missed: false },
      { counted: 120, more: false, missed: false },
      { counted: 0, more: false, missed: false },
    ]);
    const totals = await history.totals(['one', 'two']);
    expect([totals.get('one')?.added, totals.get('two')?.added]).to.deep.equal([30, 120]);
    expect(totals.get('one')?.workers).to.equal(2);
  });

  it('should give the queues after the one that spent the call’s time no entries, and say which have more', async () => {
    await burst('first', 250);
    await burst('second', 50);
    await burst('counted', 20);
    const history = store(0);
    // `counted` has read all it holds, and gets one entry more later; `counted-quiet` gets none.
    await burst('counted-quiet', 5);
    await history.record([{ queueName: 'counted', workers: 1, takeReadings: true }]);
    await history.record([{ queueName: 'counted-quiet', workers: 1, takeReadings: true }]);
    await burst('counted', 1);
    const outcomes = await history.record(
      ['first', 'second', 'counted', 'counted-quiet', 'no-stream'].map((queueName) => ({
        queueName,
        workers: 1,
        takeReadings: true,
      })),
    );
    expect(outcomes).to.deep.equal([
      { counted: 100, more: true, missed: false },
      { counted: 0, more: true, missed: false },
      { counted: 0, more: true, missed: false },
      { counted: 0, more: false, missed: false },
      { counted: 0, more: false, missed: false },
    ]);
    // Called again with the second first, it counts it.
    const [second] = await history.record([
      { queueName: 'second', workers: 1, takeReadings: true },
    ]);
    expect(second).to.deep.equal({ counted: 50, more: false, missed: false });
  });

  it('should leave the readings as the round’s first call took them when asked not to take them', async () => {
    await connection.rpush('bull:steady:wait', 'a', 'b', 'c');
    await burst('steady', 40);
    const history = store(1_000_000);
    await history.record([{ queueName: 'steady', workers: 2, takeReadings: true }]);
    await connection.rpush('bull:steady:wait', 'd', 'e');
    await burst('steady', 10);
    const [again] = await history.record([
      { queueName: 'steady', workers: 5, takeReadings: false },
    ]);
    expect(again).to.deep.equal({ counted: 10, more: false, missed: false });
    const totals = (await history.totals(['steady'])).get('steady');
    // The entries of both calls are counted; the backlog and workers are the first call's.
    expect(totals).to.deep.include({ added: 50, backlog: 3, workers: 2 });
    await history.record([{ queueName: 'steady', workers: 5, takeReadings: true }]);
    expect((await history.totals(['steady'])).get('steady')).to.deep.include({
      added: 50,
      backlog: 5,
      workers: 5,
    });
  });

  it('should fail only the queue whose keys cannot be recorded, and record the others', async () => {
    await burst('fine', 10);
    await burst('broken', 10);
    // The position key holds a hash: GET answers WRONGTYPE for this queue alone.
    await connection.hset('queuewatch:history:broken:position', 'x', '1');
    const history = store(1_000_000);
    const [fine, broken] = await history.record([
      { queueName: 'fine', workers: 1, takeReadings: true },
      { queueName: 'broken', workers: 1, takeReadings: true },
    ]);
    expect(fine).to.deep.equal({ counted: 10, more: false, missed: false });
    expect(broken).to.be.instanceOf(Error);
    expect((broken as Error).message).to.match(/WRONGTYPE/);
  });
});
