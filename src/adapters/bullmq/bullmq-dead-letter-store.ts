import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type {
  DeadLetterRecord,
  DeadLetterStore,
  DeadLetterSummary,
} from '../../application/ports/dead-letter-store.port.js';

/** Jobs removed by one prune at the most, so pruning never blocks Redis for long. */
const pruneBatch = 1_000;

/**
 * The dead-letter queue: a BullMQ queue of Queuewatch's own (default `failed-jobs`) whose jobs are
 * the records, waiting, newest at the head. The record id is the BullMQ job id, and adding a job
 * whose id exists is a no-op in BullMQ, so a replayed event or a second instance never duplicates
 * a record. It uses Queuewatch's connection for short commands, so a read or write that gets no
 * answer within the command timeout fails rather than hangs.
 */
export class BullmqDeadLetterStore implements DeadLetterStore {
  private readonly queue: Queue<DeadLetterRecord>;

  constructor(
    connection: Redis,
    readonly queueName: string,
    prefix: string,
  ) {
    this.queue = new Queue<DeadLetterRecord>(queueName, { connection, prefix });
    this.queue.on('error', () => undefined);
  }

  async record(record: DeadLetterRecord): Promise<void> {
    await this.queue.add(record.queueName, record, { jobId: record.id });
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
    const aged = await this.queue.clean(
      // BullMQ measures age on the machine's clock: shift by how far `now` is from it.
      Math.max(0, maxAgeMs + (Date.now() - now)),
      pruneBatch,
      'wait',
    );
    const size = await this.queue.getJobCountByTypes('wait');
    if (size <= maxCount) return aged.length;
    const excess = await this.queue.getJobs(
      ['wait'],
      maxCount,
      Math.min(size, maxCount + pruneBatch) - 1,
      false,
    );
    await Promise.all(excess.map((job) => job.remove()));
    return aged.length + excess.length;
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
