import { Queue } from 'bullmq';
import type { RedisClient } from './redis-topology.js';
import type {
  DeadLetterRecord,
  DeadLetterStore,
  DeadLetterSummary,
} from '../../application/ports/dead-letter-store.port.js';

/** Jobs removed by one prune at the most, so pruning never blocks Redis for long. */
const pruneBatch = 1_000;

/**
 * Record ids begin with `<queue>|<job id>|`; this sorted set (every score 0, so ordered by id)
 * holds them all, so a job's records are one ZRANGEBYLEX away. Under the dead-letter queue's own
 * prefix (`<prefix>:<queue>:by-job`), beside its jobs; pruning removes from both.
 */
const byJobSuffix = 'by-job';

/**
 * The dead-letter queue: a BullMQ queue of Queuewatch's own (default `failed-jobs`) whose jobs are
 * the records, waiting, newest at the head. The record id is the BullMQ job id, and adding a job
 * whose id exists is a no-op in BullMQ, so a replayed event or a second instance never duplicates
 * a record. It uses Queuewatch's connection for short commands, so a read or write that gets no
 * answer within the command timeout fails rather than hangs.
 */
export class BullmqDeadLetterStore implements DeadLetterStore {
  private readonly queue: Queue<DeadLetterRecord>;
  private readonly byJobKey: string;

  constructor(
    private readonly connection: RedisClient,
    readonly queueName: string,
    prefix: string,
  ) {
    this.queue = new Queue<DeadLetterRecord>(queueName, { connection, prefix });
    this.queue.on('error', () => undefined);
    this.byJobKey = `${prefix}:${queueName}:${byJobSuffix}`;
  }

  async record(record: DeadLetterRecord): Promise<void> {
    await this.queue.add(record.queueName, record, { jobId: record.id });
    await this.connection.zadd(this.byJobKey, 0, record.id);
  }

  async ofJob(queueName: string, jobId: string, limit: number): Promise<DeadLetterRecord[]> {
    // The id's start as a range of ids: `[a|7|` up to `[a|7|\xff`. A job id holding `|` could
    // share the start with another job's, so each record is checked against the job.
    const start = `${queueName}|${jobId}|`;
    const ids = await this.connection.zrangebylex(
      this.byJobKey,
      `[${start}`,
      `[${start}\xff`,
      'LIMIT',
      0,
      limit * 2,
    );
    const jobs = await Promise.all(ids.map((id) => this.queue.getJob(id)));
    // Records removed otherwise than by pruning leave their id behind: drop it now.
    const gone = ids.filter((_, index) => jobs[index] === undefined);
    if (gone.length > 0) await this.connection.zrem(this.byJobKey, ...gone);
    return jobs
      .flatMap((job) => (job ? [job.data] : []))
      .filter((record) => record.queueName === queueName && record.jobId === jobId)
      .slice(0, limit);
  }

  async recent(limit: number): Promise<DeadLetterRecord[]> {
    const jobs = await this.queue.getJobs(['wait'], 0, limit - 1, false);
    return jobs.map((job) => job.data);
  }

  async get(id: string): Promise<DeadLetterRecord | null> {
    const job = await this.queue.getJob(id);
    return job?.data ?? null;
  }

  async summary(): Promise<DeadLetterSummary> {
    const size = await this.queue.getJobCountByTypes('wait');
    const [newest] = await this.queue.getJobs(['wait'], 0, 0, false);
    const [oldest] = await this.queue.getJobs(['wait'], 0, 0, true);
    return {
      queueName: this.queueName,
      size,
      oldestFailedAt: oldest?.data.failedAt ?? null,
      newestFailedAt: newest?.data.failedAt ?? null,
    };
  }

  async prune(now: number, maxAgeMs: number, maxCount: number): Promise<number> {
    // `clean` measures age from the time the record was added, which is when the job failed.
    const aged: string[] = await this.queue.clean(
      // BullMQ measures age on the machine's clock: shift by how far `now` is from it.
      Math.max(0, maxAgeMs + (Date.now() - now)),
      pruneBatch,
      'wait',
    );
    if (aged.length > 0) await this.connection.zrem(this.byJobKey, ...aged);
    const size = await this.queue.getJobCountByTypes('wait');
    if (size <= maxCount) return aged.length;
    const excess = await this.queue.getJobs(
      ['wait'],
      maxCount,
      Math.min(size, maxCount + pruneBatch) - 1,
      false,
    );
    await Promise.all(excess.map((job) => job.remove()));
    const removed = excess.flatMap((job) => (job.id === undefined ? [] : [job.id]));
    if (removed.length > 0) await this.connection.zrem(this.byJobKey, ...removed);
    return aged.length + excess.length;
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
