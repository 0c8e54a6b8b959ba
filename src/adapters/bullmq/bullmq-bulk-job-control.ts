import type { Job, Queue } from 'bullmq';
import type { RedisClient } from './redis-topology.js';
import type { CleanableState } from '../../application/contract/console.js';
import type {
  BulkJobControl,
  Chunk,
  FailedJobFilter,
  FilteredChunk,
} from '../../application/ports/bulk-job-control.port.js';

/** BullMQ's names of the keys behind each state. */
const keyOf: Readonly<Record<CleanableState, string>> = {
  completed: 'completed',
  failed: 'failed',
  delayed: 'delayed',
  waiting: 'wait',
  paused: 'paused',
  prioritized: 'prioritized',
};

/**
 * Bulk changes through BullMQ's own chunked scripts (`moveJobsToWait` with a count,
 * `cleanJobsInSet` with a limit), each call bounded to `max` jobs. A filtered retry reads a chunk
 * of ids and their name and reason in one pipeline, filters here, and retries each match with the
 * same atomic script as a single retry.
 */
export class BullmqBulkJobControl implements BulkJobControl {
  constructor(
    /** The connection the queues use, for the few reads BullMQ has no call for. */
    private readonly client: RedisClient,
    private readonly queueOf: (queueName: string) => Queue,
  ) {}

  async count(queueName: string, state: CleanableState, before?: number): Promise<number> {
    const queue = this.queueOf(queueName);
    if (state === 'failed' && before !== undefined) {
      return this.client.zcount(queue.toKey('failed'), '-inf', before);
    }
    if (state === 'paused') return this.client.llen(queue.toKey('paused'));
    return queue.getJobCountByTypes(state === 'waiting' ? 'wait' : state);
  }

  async retryFailed(queueName: string, before: number, max: number): Promise<Chunk> {
    const queue = this.queueOf(queueName);
    const client = this.client;
    const key = queue.toKey('failed');
    const was = await client.zcount(key, '-inf', before);
    if (was === 0) return { changed: 0, more: false };
    await queue.backend.retryFinishedJobs('failed', max, before);
    const left = await client.zcount(key, '-inf', before);
    return { changed: Math.max(0, was - left), more: left > 0 };
  }

  async retryMatching(
    queueName: string,
    filter: FailedJobFilter,
    before: number,
    skip: number,
    max: number,
  ): Promise<FilteredChunk> {
    const queue = this.queueOf(queueName);
    const client = this.client;
    const ids = await client.zrangebyscore(
      queue.toKey('failed'),
      '-inf',
      before,
      'LIMIT',
      skip,
      max,
    );
    if (ids.length === 0) return { changed: 0, passed: 0, more: false };
    const pipeline = client.pipeline();
    for (const id of ids) pipeline.hmget(queue.toKey(id), 'name', 'failedReason', 'opts');
    const replies = (await pipeline.exec()) ?? [];
    let changed = 0;
    let passed = 0;
    for (const [index, id] of ids.entries()) {
      const [error, fields] = replies[index] ?? [null, null];
      if (error) throw error;
      const [name, reason, opts] = (fields ?? []) as (string | null)[];
      if (!matches(filter, name ?? null, reason ?? null)) {
        passed += 1;
        continue;
      }
      try {
        // The script reads only the job's id and whether it is LIFO.
        const job = { id, opts: { lifo: isLifo(opts ?? null) } } as unknown as Job;
        await queue.backend.retryFinishedJob(job, 'failed');
        changed += 1;
      } catch (failure) {
        // Gone or moved meanwhile (another operator retried it): it left the set, skip it.
        if (!isMovedOrGone(failure)) throw failure;
      }
    }
    return { changed, passed, more: ids.length === max };
  }

  async promoteDelayed(queueName: string, max: number): Promise<Chunk> {
    const queue = this.queueOf(queueName);
    const client = this.client;
    const key = queue.toKey('delayed');
    const was = await client.zcard(key);
    if (was === 0) return { changed: 0, more: false };
    await queue.backend.promoteJobs(max);
    const left = await client.zcard(key);
    return { changed: Math.max(0, was - left), more: left > 0 && was - left > 0 };
  }

  async clean(
    queueName: string,
    state: CleanableState,
    olderThan: number,
    max: number,
  ): Promise<Chunk> {
    const queue = this.queueOf(queueName);
    await queue.waitUntilReady();
    const removed = await queue.backend.cleanJobsByState(keyOf[state], olderThan, max);
    return { changed: removed.length, more: removed.length >= max };
  }
}

function matches(filter: FailedJobFilter, name: string | null, reason: string | null): boolean {
  if (name === null) return false;
  if (filter.name !== undefined && name !== filter.name) return false;
  if (filter.reason !== undefined && !(reason ?? '').includes(filter.reason)) return false;
  return true;
}

function isLifo(opts: string | null): boolean {
  if (opts === null) return false;
  try {
    const parsed = JSON.parse(opts) as { lifo?: unknown };
    return parsed.lifo === true;
  } catch {
    return false;
  }
}

/** BullMQ's `JobNotExist` (-1), `JobLockNotExist` (-2) and `JobNotInState` (-3). */
function isMovedOrGone(error: unknown): boolean {
  const code =
    typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  return code === -1 || code === -2 || code === -3;
}
