import { Queue } from 'bullmq';
import type { DeadLetterRecord } from '../../src/application/ports/dead-letter-store.port.js';

/** Every failed attempt a worker saw: job id → the attempt numbers (1-based) that failed. */
export type FailedAttempts = readonly (readonly [jobId: string, attempts: readonly number[]])[];

/** The dead-letter queue against the failed attempts the workers saw. */
export interface DeadLetterCheck {
  readonly failedAttemptsSeen: number;
  /** Records of the watched queue in the dead-letter queue. */
  readonly records: number;
  /** Records of any other queue (none expected). */
  readonly otherRecords: number;
  /** Failed attempts without a record. */
  readonly missing: number;
  /** Records beyond the first for one job and attempt. */
  readonly duplicates: number;
  /** Records for an attempt the workers did not see failing (a wrong or missing attempt number). */
  readonly unexpected: number;
  /** Records whose `willRetry` is wrong (true only before the job's last attempt). */
  readonly wrongWillRetry: number;
  /** Records whose reason says the job was removed before Queuewatch read it (documented). */
  readonly reasonUnknown: number;
  /** A few mismatches, to start looking from. */
  readonly examples: readonly string[];
}

/** Records read from Redis per request. */
const page = 1_000;

/**
 * Read every record of the dead-letter queue straight from its BullMQ queue (the HTTP API's
 * `recent` stops at 1,000) and match them, per job and attempt, with what the workers saw:
 * each failed attempt must have exactly one record, with its own attempt number and
 * `willRetry` true unless it was the job's last attempt.
 */
export async function checkDeadLetters(
  redisUrl: string,
  deadLetterQueue: string,
  queueName: string,
  seen: FailedAttempts,
  attemptsPerJob: number,
): Promise<DeadLetterCheck> {
  const expected = new Map<string, number>();
  let failedAttemptsSeen = 0;
  for (const [jobId, attempts] of seen) {
    for (const attempt of attempts) expected.set(`${jobId}#${String(attempt)}`, 0);
    failedAttemptsSeen += attempts.length;
  }
  const queue = new Queue<DeadLetterRecord>(deadLetterQueue, { connection: { url: redisUrl } });
  let records = 0;
  let otherRecords = 0;
  let duplicates = 0;
  let unexpected = 0;
  let wrongWillRetry = 0;
  let reasonUnknown = 0;
  const examples: string[] = [];
  const note = (text: string): void => {
    if (examples.length < 5) examples.push(text);
  };
  try {
    const size = await queue.getJobCountByTypes('wait');
    for (let start = 0; start < size; start += page) {
      const jobs = await queue.getJobs(['wait'], start, start + page - 1, true);
      for (const { data: record } of jobs) {
        if (record.queueName !== queueName) {
          otherRecords += 1;
          continue;
        }
        records += 1;
        if (record.failedReason.startsWith('(unknown')) reasonUnknown += 1;
        const key = `${record.jobId}#${String(record.attemptsMade)}`;
        const times = expected.get(key);
        if (times === undefined) {
          unexpected += 1;
          note(`record ${record.id}: attempt ${String(record.attemptsMade)} was not seen failing`);
          continue;
        }
        expected.set(key, times + 1);
        if (times > 0) {
          duplicates += 1;
          note(`record ${record.id}: a second record for job ${record.jobId}'s attempt`);
        }
        const willRetry = (record.attemptsMade ?? attemptsPerJob) < attemptsPerJob;
        if (record.willRetry !== willRetry) {
          wrongWillRetry += 1;
          note(`record ${record.id}: willRetry ${String(record.willRetry)}`);
        }
      }
    }
  } finally {
    await queue.close();
  }
  let missing = 0;
  for (const [key, times] of expected) {
    if (times > 0) continue;
    missing += 1;
    note(`no record for job#attempt ${key}`);
  }
  return {
    failedAttemptsSeen,
    records,
    otherRecords,
    missing,
    duplicates,
    unexpected,
    wrongWillRetry,
    reasonUnknown,
    examples,
  };
}
