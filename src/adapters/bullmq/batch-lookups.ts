import type { RedisClient } from './redis-topology.js';
import {
  failureContextScript,
  nextStreamId,
  parseFailureContext,
  type FailureContextReply,
} from './failure-context-script.js';
import type { JobFields, PendingEvent } from './stream-event-parser.js';

/** The script command `defineCommand` adds to the connection's pipelines. */
interface WithFailureContext {
  queuewatchFailureContext(keyCount: number, ...keysAndArgs: string[]): unknown;
}

/** Stream entries scanned after a batch at most, per queue (BullMQ keeps about 10,000). */
const laterEntriesLimit = 20_000;

/** What a batch read from Redis besides the stream. */
export interface BatchLookups {
  /** Per completion whose start was not seen (by index in the batch): its timing fields. */
  readonly timings: ReadonlyMap<number, JobFields | undefined>;
  /** Per queue with failures in the batch: the failure context of its failed jobs. */
  readonly failures: ReadonlyMap<string, FailureLookup>;
}

/** A queue's failed jobs as read after the batch; absent when the read failed. */
export interface FailureLookup {
  readonly reply: FailureContextReply;
  /** The job ids in the order of `reply.jobs`. */
  readonly jobIds: readonly string[];
}

/** Add the failure-context script to a connection (once per connection). */
export function defineFailureContext(connection: RedisClient): void {
  connection.defineCommand('queuewatchFailureContext', { lua: failureContextScript });
}

/**
 * Read what a batch's events need, in one pipeline: the timing fields of completions whose start
 * was not seen, and for each queue with failures one failure-context script call.
 */
export async function lookUpBatch(
  connection: RedisClient,
  keys: {
    readonly job: (queueName: string, jobId: string) => string;
    readonly stream: (queueName: string) => string;
  },
  pending: readonly PendingEvent[],
  /** Per queue, the id of the last entry the batch read. */
  lastReadIds: ReadonlyMap<string, string>,
): Promise<BatchLookups> {
  const timingIndexes: number[] = [];
  const failedJobs = new Map<string, Set<string>>();
  pending.forEach((event, index) => {
    if (event.type === 'completed' && event.processingTime === null) timingIndexes.push(index);
    if (event.type === 'failure') {
      const jobIds = failedJobs.get(event.queueName) ?? new Set<string>();
      jobIds.add(event.jobId);
      failedJobs.set(event.queueName, jobIds);
    }
  });
  if (timingIndexes.length === 0 && failedJobs.size === 0) {
    return { timings: new Map(), failures: new Map() };
  }
  const pipeline = connection.pipeline();
  for (const index of timingIndexes) {
    const event = pending[index];
    if (event) pipeline.hmget(keys.job(event.queueName, event.jobId), 'processedOn', 'finishedOn');
  }
  const queues = [...failedJobs.entries()].map(([queueName, jobIds]) => ({
    queueName,
    jobIds: [...jobIds],
  }));
  for (const { queueName, jobIds } of queues) {
    (pipeline as unknown as WithFailureContext).queuewatchFailureContext(
      1 + jobIds.length,
      keys.stream(queueName),
      ...jobIds.map((jobId) => keys.job(queueName, jobId)),
      nextStreamId(lastReadIds.get(queueName) ?? '0-0'),
      String(laterEntriesLimit),
      ...jobIds,
    );
  }
  const replies = (await pipeline.exec()) ?? [];
  const timings = new Map<number, JobFields | undefined>();
  timingIndexes.forEach((eventIndex, replyIndex) => {
    const [error, values] = replies[replyIndex] ?? [null, null];
    if (error || !Array.isArray(values)) return;
    timings.set(
      eventIndex,
      new Map([
        ['processedOn', textOrNull(values[0])],
        ['finishedOn', textOrNull(values[1])],
      ]),
    );
  });
  const failures = new Map<string, FailureLookup>();
  queues.forEach(({ queueName, jobIds }, index) => {
    const [error, value] = replies[timingIndexes.length + index] ?? [null, null];
    const reply = error ? null : parseFailureContext(value);
    // A scan that stopped at its limit may have missed later attempts: better unknown than wrong.
    if (reply && !reply.truncated) failures.set(queueName, { reply, jobIds });
  });
  return { timings, failures };
}

function textOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
