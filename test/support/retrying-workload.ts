import { expect } from 'chai';
import {
  Queue,
  UnrecoverableError,
  Worker,
  type Job,
  type JobsOptions,
  type WorkerOptions,
} from 'bullmq';
import type { Redis } from 'ioredis';
import type {
  DeadLetterRecord,
  RecentFailedJobsBody,
} from '../../src/application/contract/failed-jobs.js';
import { waitFor } from './wait-for.js';

/** What a record says when the attempt's reason was gone before Queuewatch could read it. */
export const unknownReason = '(unknown: the job was removed before its failure was read)';

/** One attempt as the worker saw it. */
export interface Attempt {
  readonly attempt: number;
  readonly failed: boolean;
}

/** Whether attempt `attempt` of job number `index` fails: about half do, the same every run. */
function fails(index: number, attempt: number): boolean {
  return ((index * 7 + attempt * 13) % 10) % 2 === 0;
}

/** Attempts a workload's jobs get (BullMQ's `attempts`). */
export const workloadAttempts = 3;

/**
 * A queue and a real worker whose jobs fail about half their attempts, with attempt-specific
 * reasons (`attempt 2 of order-7 failed`), and retry at once: every attempt is recorded as the
 * worker saw it, the truth a dead-letter queue is checked against.
 */
export class RetryingWorkload {
  readonly attempts = new Map<string, Attempt[]>();
  readonly queue: Queue;
  private readonly worker: Worker;
  private finishedJobs = 0;
  private addedJobs = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(
    redisUrl: string,
    readonly queueName: string,
    closers: (() => unknown)[],
    workerOptions: Partial<WorkerOptions> = {},
  ) {
    this.queue = new Queue(queueName, { connection: { url: redisUrl } });
    this.worker = new Worker(
      queueName,
      (job: Job<{ index: number }>) => {
        const attempt = job.attemptsMade + 1;
        const sentinel = job.name === 'sentinel';
        const failed = sentinel || fails(job.data.index, attempt);
        const seen = this.attempts.get(String(job.id)) ?? [];
        seen.push({ attempt, failed });
        this.attempts.set(String(job.id), seen);
        if (sentinel) throw new UnrecoverableError('sentinel');
        if (failed) throw new Error(`attempt ${String(attempt)} of ${String(job.id)} failed`);
        return Promise.resolve('ok');
      },
      { connection: { url: redisUrl }, concurrency: 8, ...workerOptions },
    );
    this.worker.on('error', () => undefined);
    this.worker.on('completed', () => {
      this.finished();
    });
    this.worker.on('failed', (job) => {
      if (job && job.name !== 'sentinel' && job.attemptsMade >= workloadAttempts) this.finished();
    });
    // Forced: a graceful close hangs while BullMQ is still reconnecting after a Redis restart.
    closers.push(
      () => this.queue.close(),
      () => this.worker.close(true),
    );
  }

  /**
   * Add `count` jobs at about `perSecond`, in tenths of a second; `between(added)` runs after each
   * tenth (to break something mid-way).
   */
  async add(
    count: number,
    perSecond: number,
    options: JobsOptions = {},
    between?: (added: number) => Promise<void>,
  ): Promise<void> {
    const batch = Math.max(1, Math.round(perSecond / 10));
    for (let added = 0; added < count; added += batch) {
      const size = Math.min(batch, count - added);
      const from = this.addedJobs;
      await this.queue.addBulk(
        Array.from({ length: size }, (_, offset) => ({
          name: 'charge',
          data: { index: from + offset },
          opts: { attempts: workloadAttempts, ...options, jobId: `order-${String(from + offset)}` },
        })),
      );
      this.addedJobs += size;
      await new Promise((resolve) => setTimeout(resolve, 100));
      await between?.(added + size);
    }
  }

  /** Resolves once every job added so far completed or failed for good. */
  finishedAll(): Promise<void> {
    if (this.finishedJobs >= this.addedJobs) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Failed attempts the worker saw, sentinel aside. */
  failedAttempts(): number {
    let count = 0;
    for (const [jobId, seen] of this.attempts) {
      if (jobId !== 'sentinel') count += seen.filter((attempt) => attempt.failed).length;
    }
    return count;
  }

  private finished(): void {
    this.finishedJobs += 1;
    if (this.finishedJobs < this.addedJobs) return;
    for (const resolve of this.waiters.splice(0)) resolve();
  }
}

/**
 * Add a sentinel job that fails for good, wait until the dead-letter queue holds its record (so
 * Queuewatch has read past every earlier job), and return every record.
 */
export async function recordsAfterSentinel(
  url: string,
  workload: RetryingWorkload,
  timeoutMs = 30_000,
): Promise<DeadLetterRecord[]> {
  await workload.queue.add('sentinel', { index: -1 }, { jobId: 'sentinel' });
  const body = await waitFor(
    "the sentinel's record",
    async () =>
      (await (
        await fetch(`${url}/api/v1/jobs/failed/recent?limit=1000`)
      ).json()) as RecentFailedJobsBody,
    (seen) => seen.jobs.some((record) => record.jobId === 'sentinel'),
    timeoutMs,
  );
  return body.jobs.filter((record) => record.jobId !== 'sentinel');
}

/**
 * Every failed attempt has exactly one record, numbered as the worker saw it, with its own reason,
 * and only a job's last attempt says it will not be retried. `reasons: 'when-kept'`: a retried
 * attempt's reason lives only in the job's hash, so once the job is removed it may be unknown;
 * the record then says so instead of guessing.
 */
export function expectExactRecords(
  records: readonly DeadLetterRecord[],
  attempts: ReadonlyMap<string, readonly Attempt[]>,
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
        willRetry: attempt.attempt < workloadAttempts,
        failedReason: `attempt ${String(attempt.attempt)} of ${jobId} failed`,
      }));
    failedAttempts += expected.length;
    const actual = records
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
  expect(records.length).to.equal(failedAttempts);
}

/**
 * The failed attempts BullMQ itself recorded for each finished job of a queue (prefix `bull`):
 * one stack trace per failed attempt, in order, and the job's final state. When Redis went away
 * mid-attempt, this is the truth: an attempt whose failure never reached Redis did not happen
 * for BullMQ (the job stalled and ran again under the same number).
 */
export async function attemptsInRedis(
  admin: Redis,
  queueName: string,
): Promise<Map<string, Attempt[]>> {
  const failed = await admin.zrange(`bull:${queueName}:failed`, '0', '-1');
  const completed = await admin.zrange(`bull:${queueName}:completed`, '0', '-1');
  const attempts = new Map<string, Attempt[]>();
  for (const jobId of [...failed, ...completed]) {
    if (jobId === 'sentinel') continue;
    const stacks = JSON.parse(
      (await admin.hget(`bull:${queueName}:${jobId}`, 'stacktrace')) ?? '[]',
    ) as unknown[];
    const seen: Attempt[] = stacks.map((_, index) => ({ attempt: index + 1, failed: true }));
    if (!failed.includes(jobId)) seen.push({ attempt: seen.length + 1, failed: false });
    attempts.set(jobId, seen);
  }
  return attempts;
}
