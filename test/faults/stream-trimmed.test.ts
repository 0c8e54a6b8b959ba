import { expect } from 'chai';
import { Redis } from 'ioredis';
import type { HealthReportBody } from '../../src/application/contract/health.js';
import type { RecentFailedJobsBody } from '../../src/application/contract/failed-jobs.js';
import { paymentsQueue } from '../support/payments-queue.js';
import { startQueuewatchProcess } from '../support/queuewatch-process.js';
import { useRedisServer } from '../support/redis-harness.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Invariant: failures whose events were trimmed from the stream before Queuewatch read them are
 * the only ones missing from the dead-letter queue, and the loss is reported for that queue;
 * every failure before and after is recorded exactly once.
 */
describe('fault: the event stream trimmed past the checkpoint (real processes)', () => {
  const redis = useRedisServer();
  const closers: (() => unknown)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  it('should report the gap for that queue and record every failure it could still read', async function () {
    this.timeout(90_000);
    const env = {
      REDIS_URL: redis().url,
      QUEUEWATCH_QUEUES: 'payments',
      QUEUEWATCH_INSTANCE_ID: 'trimmed',
      QUEUEWATCH_HEALTH_CACHE_MS: '0',
    };
    const admin = new Redis(redis().url);
    closers.push(() => {
      admin.disconnect();
    });
    const queue = paymentsQueue(redis().url, closers);
    const fail = async (prefix: string, count: number): Promise<void> => {
      await queue.addBulk(
        Array.from({ length: count }, (_, index) => ({
          name: 'bad',
          data: {},
          opts: { jobId: `${prefix}-${String(index)}` },
        })),
      );
    };
    const recent = async (url: string): Promise<string[]> =>
      (
        (await (
          await fetch(`${url}/api/v1/jobs/failed/recent?limit=1000`)
        ).json()) as RecentFailedJobsBody
      ).jobs
        .map((record) => record.jobId)
        .sort();

    const first = await startQueuewatchProcess(env);
    await fail('before', 5);
    await waitFor(
      '5 records',
      () => recent(first.url),
      (ids) => ids.length === 5,
    );
    await first.stop();

    await fail('while-down', 5);
    await waitFor(
      'the worker to fail them',
      () => queue.getJobCountByTypes('failed'),
      (count) => count === 10,
    );
    await admin.xtrim('bull:payments:events', 'MAXLEN', 0);

    const second = await startQueuewatchProcess(env);
    closers.push(() => second.stop());
    const health = await waitFor(
      'the gap to be reported',
      async () =>
        (await (await fetch(`${second.url}/api/v1/health/queues`)).json()) as HealthReportBody,
      (body) => body.issues.some((issue) => issue.code === 'EVENTS_MISSED'),
    );
    const missed = health.issues.find((issue) => issue.code === 'EVENTS_MISSED');
    expect(missed?.source).to.equal('payments');
    expect(missed?.message).to.contain('trimmed');

    await fail('after', 5);
    const ids = await waitFor(
      '10 records',
      () => recent(second.url),
      (seen) => seen.length === 10,
    );
    expect(ids).to.deep.equal([
      'after-0',
      'after-1',
      'after-2',
      'after-3',
      'after-4',
      'before-0',
      'before-1',
      'before-2',
      'before-3',
      'before-4',
    ]);
  });
});
