import { Redis } from 'ioredis';
import { useInProcessQueuewatch } from '../support/in-process-queuewatch.js';
import { useRedisServer } from '../support/redis-harness.js';
import {
  expectExactRecords,
  recordsAfterSentinel,
  RetryingWorkload,
} from '../support/retrying-workload.js';

/**
 * The dead-letter queue against the attempts a real worker made: every failed attempt has exactly
 * one record, with its own attempt number and reason, and a job's last failure says it will not
 * be retried. Jobs retry at once (no backoff), so later attempts often run before Queuewatch has
 * read the earlier one's event: the case where reading the job's hash afterwards gets it wrong.
 */
describe('dead-letter records of retried jobs (real Redis, real worker)', () => {
  const redis = useRedisServer();
  const harness = useInProcessQueuewatch(redis, { QUEUEWATCH_QUEUES: 'orders' });

  beforeEach(async () => {
    const admin = new Redis(redis().url);
    await admin.flushall();
    admin.disconnect();
  });

  it('should keep one record per failed attempt, numbered as the worker saw it, when retries run at once', async function () {
    this.timeout(90_000);
    const app = await harness.start();
    const workload = new RetryingWorkload(redis().url, 'orders', harness.closers);
    await workload.add(400, 50);
    await workload.finishedAll();
    expectExactRecords(await recordsAfterSentinel(app.url, workload), workload.attempts);
  });

  it('should keep them exact when finished jobs are removed at once (removeOnComplete, removeOnFail)', async function () {
    this.timeout(90_000);
    const app = await harness.start();
    const workload = new RetryingWorkload(redis().url, 'orders', harness.closers);
    await workload.add(200, 50, { removeOnComplete: true, removeOnFail: true });
    await workload.finishedAll();
    expectExactRecords(
      await recordsAfterSentinel(app.url, workload),
      workload.attempts,
      'when-kept',
    );
  });
});
