import { expect } from 'chai';
import { Queue, UnrecoverableError, Worker, type Job, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { RecentFailedJobsBody } from '../../src/application/contract/failed-jobs.js';
import type { RunningQueuewatch } from '../../src/bootstrap/queuewatch.js';
import { useInProcessQueuewatch } from '../support/in-process-queuewatch.js';
import { useRedisServer } from '../support/redis-harness.js';
import { waitFor } from '../support/wait-for.js';

/** What a record says when the attempt's reason was gone before Queuewatch could read it. */
const unknownReason = '(unknown: the job was removed before its failure was read)';

/** One attempt as the worker saw it. */
interface Attempt {
  readonly attempt: number;
  readonly failed: boolean;
}

/** Whether attempt `attempt` of job number `index` fails: about half do, the same every run. */
function fails(index: number, attempt: number): boolean {
  return ((index * 7 + attempt * 13) % 10) % 2 === 0;
}

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

  async function get<T>(app: RunningQueuewatch, path: string): Promise<T> {
    return (await (await fetch(`${app.url}${path}`)).json()) as T;
  }

  /** Run `count` jobs at about `perSecond` through a worker; return each job's attempts. */
  async function runJobs(
    count: number,
    perSecond: number,
    options: JobsOptions,
  ): Promise<{ queue: Queue; attempts: Map<string, Attempt[]> }> {
    const attempts = new Map<string, Attempt[]>();
    const queue = new Queue('orders', { connection: { url: redis().url } });
    const worker = new Worker(
      'orders',
      (job: Job<{ index: number }>) => {
        const attempt = job.attemptsMade + 1;
        const failed = fails(job.data.index, attempt) || job.name === 'sentinel';
        const seen = attempts.get(String(job.id)) ?? [];
        seen.push({ attempt, failed });
        attempts.set(String(job.id), seen);
        if (job.name === 'sentinel') throw new UnrecoverableError('sentinel');
        if (failed) throw new Error(`attempt ${String(attempt)} of ${String(job.id)} failed`);
        return Promise.resolve('ok');
      },
      { connection: { url: redis().url }, concurrency: 8 },
    );
    harness.closers.push(
      () => queue.close(),
      () => worker.close(true),
    );
    const done = new Promise<void>((resolve) => {
      let finished = 0;
      const finish = (): void => {
        finished += 1;
        if (finished === count) resolve();
      };
      worker.on('completed', finish);
      worker.on('failed', (job) => {
        if (job && job.attemptsMade >= 3) finish();
      });
    });
    const batch = Math.max(1, Math.round(perSecond / 10));
    for (let index = 0; index < count; index += batch) {
      await queue.addBulk(
        Array.from({ length: Math.min(batch, count - index) }, (_, offset) => ({
          name: 'charge',
          data: { index: index + offset },
          opts: { ...options, jobId: `order-${String(index + offset)}` },
        })),
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await done;
    return { queue, attempts };
  }

  /** Wait until Queuewatch has read past every job (a sentinel's record), then read all. */
  async function records(app: RunningQueuewatch, queue: Queue): Promise<RecentFailedJobsBody> {
    await queue.add('sentinel', { index: -1 }, { jobId: 'sentinel' });
    return waitFor(
      "the sentinel's record",
      () => get<RecentFailedJobsBody>(app, '/api/v1/jobs/failed/recent?limit=1000'),
      (body) => body.jobs.some((record) => record.jobId === 'sentinel'),
      30_000,
    );
  }

  /**
   * `reasons: 'when-kept'`: a retried attempt's reason lives only in the job's hash, so once the
   * job is removed it may be unknown; the record then says so instead of guessing.
   */
  function expectExactRecords(
    body: RecentFailedJobsBody,
    attempts: Map<string, Attempt[]>,
    reasons: 'exact' | 'when-kept' = 'exact',
  ): void {
    let failedAttempts = 0;
    const problems: string[] = [];
    for (const [jobId, seen] of attempts) {
      if (jobId === 'sentinel') continue;
      const expected = seen
        .filter((attempt) => attempt.failed)
        .map((attempt) => ({
          attemptsMade: attempt.attempt,
          willRetry: attempt.attempt < 3,
          failedReason: `attempt ${String(attempt.attempt)} of ${jobId} failed`,
        }));
      failedAttempts += expected.length;
      const actual = body.jobs
        .filter((record) => record.jobId === jobId)
        .map(({ attemptsMade, willRetry, failedReason }) => ({
          attemptsMade,
          willRetry,
          failedReason:
            reasons === 'when-kept' && failedReason === unknownReason && willRetry
              ? `attempt ${String(attemptsMade)} of ${jobId} failed`
              : failedReason,
        }))
        .sort((a, b) => (a.attemptsMade ?? 0) - (b.attemptsMade ?? 0));
      if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        problems.push(
          `${jobId}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`,
        );
      }
    }
    expect(problems, `${String(problems.length)} jobs with wrong records`).to.deep.equal([]);
    expect(body.jobs.length - 1).to.equal(failedAttempts);
  }

  it('should keep one record per failed attempt, numbered as the worker saw it, when retries run at once', async function () {
    this.timeout(90_000);
    const app = await harness.start();
    const { queue, attempts } = await runJobs(400, 50, { attempts: 3 });
    expectExactRecords(await records(app, queue), attempts);
  });

  it('should keep them exact when finished jobs are removed at once (removeOnComplete, removeOnFail)', async function () {
    this.timeout(90_000);
    const app = await harness.start();
    const { queue, attempts } = await runJobs(200, 50, {
      attempts: 3,
      removeOnComplete: true,
      removeOnFail: true,
    });
    expectExactRecords(await records(app, queue), attempts, 'when-kept');
  });
});
