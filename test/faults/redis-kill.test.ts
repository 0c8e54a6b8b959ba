import { expect } from 'chai';
import { Redis } from 'ioredis';
import type { HealthReportBody } from '../../src/application/contract/health.js';
import { useRedisServer } from '../support/redis-harness.js';
import { RecordingClient } from '../support/socket-clients.js';
import { startQueuewatchProcess, type QueuewatchProcess } from '../support/queuewatch-process.js';
import {
  attemptsInRedis,
  expectExactRecords,
  recordsAfterSentinel,
  RetryingWorkload,
} from '../support/retrying-workload.js';
import { waitFor } from '../support/wait-for.js';

/** Short locks, so jobs cut off by the crash stall and run again within seconds. */
const quickStalls = { lockDuration: 2_000, stalledInterval: 1_000, maxStalledCount: 100 };

describe('fault: Redis killed (SIGKILL) and restarted mid-stream (real processes)', () => {
  const closers: (() => unknown)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  async function queuewatchOn(url: string): Promise<QueuewatchProcess> {
    const queuewatch = await startQueuewatchProcess({
      REDIS_URL: url,
      QUEUEWATCH_QUEUES: 'orders',
      QUEUEWATCH_INSTANCE_ID: 'redis-crash',
      QUEUEWATCH_HEALTH_CACHE_MS: '0',
    });
    closers.push(() => queuewatch.stop());
    return queuewatch;
  }

  describe('having persistence (append-only file, fsync always)', () => {
    const redis = useRedisServer({ persistence: 'append-only' });

    /**
     * Invariant: the dead-letter queue holds exactly one record per failed attempt that BullMQ
     * recorded, each numbered as BullMQ counted it; nothing lost, nothing twice; and a client
     * subscribed to the queue got one `job-failed` per such attempt and one `job-completed` per
     * completed job.
     */
    it('should keep exactly one record per failed attempt BullMQ recorded, across the crash', async function () {
      this.timeout(120_000);
      const queuewatch = await queuewatchOn(redis().url);
      const client = await RecordingClient.connect(queuewatch.url);
      closers.push(() => {
        client.close();
      });
      await client.request('subscribe-to-queue', { queueName: 'orders' });
      const workload = new RetryingWorkload(redis().url, 'orders', closers, quickStalls);
      await workload.add(300, 50, {}, async (added) => {
        if (added !== 100) return;
        await redis().stop();
        await redis().start();
      });
      await workload.finishedAll();
      const records = await recordsAfterSentinel(queuewatch.url, workload, 60_000);
      const admin = new Redis(redis().url);
      closers.push(() => {
        admin.disconnect();
      });
      const truth = await attemptsInRedis(admin, 'orders');
      expect(truth.size).to.equal(300);
      expectExactRecords(records, truth);
      // The sentinel's event comes after every other job's: all of theirs have arrived.
      await client.next(
        (event) => event.name === 'job-failed' && event.payload.jobId === 'sentinel',
      );
      const received = (name: string): string[] =>
        client.received
          .filter((event) => event.name === name && event.payload.jobId !== 'sentinel')
          .map((event) => {
            const attempt = event.payload.attemptsMade;
            return `${event.payload.jobId}|${typeof attempt === 'number' ? String(attempt) : ''}`;
          })
          .sort();
      const truthOf = (failed: boolean): string[] =>
        [...truth]
          .flatMap(([jobId, attempts]) =>
            attempts
              .filter((attempt) => attempt.failed === failed)
              .map((attempt) => `${jobId}|${failed ? String(attempt.attempt) : ''}`),
          )
          .sort();
      expect(received('job-failed')).to.deep.equal(truthOf(true));
      expect(received('job-completed')).to.deep.equal(truthOf(false));
    });
  });

  describe('having no persistence (Redis comes back empty)', () => {
    const redis = useRedisServer();

    /**
     * Invariant: the loss is reported (Redis and every queue), and every failed attempt of the
     * jobs added after it has exactly one record.
     */
    it('should report the lost data and record exactly the failures that came after', async function () {
      this.timeout(120_000);
      const queuewatch = await queuewatchOn(redis().url);
      const workload = new RetryingWorkload(redis().url, 'orders', closers, quickStalls);
      let lostAt = 0;
      await workload.add(250, 50, {}, async (added) => {
        if (added !== 100) return;
        await redis().stop();
        await redis().start();
        lostAt = added;
      });
      await workload.finishedAll();
      const health = await waitFor(
        'health to report the lost data',
        async () =>
          (await (
            await fetch(`${queuewatch.url}/api/v1/health/queues`)
          ).json()) as HealthReportBody,
        (body) => body.redis.issues.some((issue) => issue.code === 'REDIS_DATA_LOST'),
      );
      expect(health.queues[0]?.issues.map((issue) => issue.code)).to.include('EVENTS_MISSED');
      expect(
        health.queues[0]?.issues.find((issue) => issue.code === 'EVENTS_MISSED')?.message,
      ).to.contain('Redis lost its data');
      const records = await recordsAfterSentinel(queuewatch.url, workload, 60_000);
      const after = new Map(
        [...workload.attempts].filter(([jobId]) => Number(jobId.split('-')[1]) >= lostAt),
      );
      expectExactRecords(records, after);
    });
  });
});
