import { expect } from 'chai';
import { Redis } from 'ioredis';
import { BullmqDeadLetterStore } from '../../src/adapters/bullmq/bullmq-dead-letter-store.js';
import type { DeadLetterRecord } from '../../src/application/ports/dead-letter-store.port.js';
import { useRedisServer } from '../support/redis-harness.js';

function record(
  queueName: string,
  jobId: string,
  event: string,
  failedAt: string,
): DeadLetterRecord {
  return {
    id: `${queueName}|${jobId}|${event}`,
    queueName,
    jobId,
    jobName: 'job',
    failedReason: 'boom',
    stacktrace: [],
    attemptsMade: 1,
    willRetry: false,
    failedAt,
    priority: 'medium',
    dataPreview: null,
  };
}

describe('BullmqDeadLetterStore › .ofJob (real Redis)', () => {
  const redis = useRedisServer();
  let connection: Redis;
  let store: BullmqDeadLetterStore;

  beforeEach(async () => {
    connection = new Redis(redis().url);
    await connection.flushall();
    store = new BullmqDeadLetterStore(connection, 'failed-jobs', 'bull');
  });
  afterEach(async () => {
    await store.close();
    connection.disconnect();
  });

  it("should find a job's records, oldest first, and no other job's that shares the start of its id", async () => {
    const now = new Date().toISOString();
    await store.record(record('pay', '7', '1700000000002-0', now));
    await store.record(record('pay', '7', '1700000000001-0', now));
    await store.record(record('pay', '7|x', '1700000000003-0', now));
    await store.record(record('pay', '77', '1700000000004-0', now));
    await store.record(record('other', '7', '1700000000005-0', now));
    await store.record(record('pay', '7', '1700000000001-0', now));
    const found = await store.ofJob('pay', '7', 10);
    expect(found.map((each) => each.id)).to.deep.equal([
      'pay|7|1700000000001-0',
      'pay|7|1700000000002-0',
    ]);
    expect(await store.ofJob('pay', '7', 1)).to.have.length(1);
    expect(await store.ofJob('pay', '8', 10)).to.deep.equal([]);
  });

  it('should forget the records pruned, and those removed otherwise', async () => {
    const old = new Date(Date.now() - 60_000).toISOString();
    for (const event of ['1-0', '2-0', '3-0']) await store.record(record('pay', '7', event, old));
    expect(await connection.zcard('bull:failed-jobs:by-job')).to.equal(3);
    await store.prune(Date.now(), 3_600_000, 1);
    expect(await store.ofJob('pay', '7', 10)).to.have.length(1);
    expect(await connection.zcard('bull:failed-jobs:by-job')).to.equal(1);
    const [left] = await store.ofJob('pay', '7', 10);
    await connection.del(`bull:failed-jobs:${left?.id ?? ''}`);
    expect(await store.ofJob('pay', '7', 10)).to.deep.equal([]);
    expect(await connection.zcard('bull:failed-jobs:by-job')).to.equal(0);
  });
});
