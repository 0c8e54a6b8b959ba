import { useRedisServer } from '../support/redis-harness.js';
import { startQueuewatchProcess, type QueuewatchProcess } from '../support/queuewatch-process.js';
import {
  expectExactRecords,
  recordsAfterSentinel,
  RetryingWorkload,
} from '../support/retrying-workload.js';

/**
 * Invariant: a Queuewatch killed with SIGKILL while jobs fail and retry, then started again, ends
 * with exactly one dead-letter record per failed attempt the worker made — none lost while it was
 * down or being replayed, none twice — each numbered and described as of its own attempt.
 */
describe('fault: Queuewatch killed (SIGKILL) and restarted while jobs fail and retry (real processes)', () => {
  const redis = useRedisServer();
  const closers: (() => unknown)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  it('should keep exactly one record per failed attempt, numbered as the worker saw it, across the crash', async function () {
    this.timeout(120_000);
    const env = {
      REDIS_URL: redis().url,
      QUEUEWATCH_QUEUES: 'orders',
      QUEUEWATCH_INSTANCE_ID: 'crashing',
    };
    let queuewatch: QueuewatchProcess = await startQueuewatchProcess(env);
    closers.push(() => queuewatch.stop());
    const workload = new RetryingWorkload(redis().url, 'orders', closers);
    await workload.add(300, 50, {}, async (added) => {
      if (added === 100) await queuewatch.kill();
      if (added === 150) queuewatch = await startQueuewatchProcess(env);
    });
    await workload.finishedAll();
    expectExactRecords(await recordsAfterSentinel(queuewatch.url, workload), workload.attempts);
  });
});
