import { createHash } from 'node:crypto';
import { Queue, Worker, type Job, type ConnectionOptions } from 'bullmq';
import type { RedisClient } from './redis-topology.js';
import type { GroupFlush, GroupFlushQueue } from '../../application/ports/alert-groups.port.js';
import type { Logger } from '../../application/ports/logger.port.js';
import { closeWorker } from './close-worker.js';

/** How the flush queue is set up. */
export interface GroupFlushQueueOptions {
  /** Made when the worker starts: its connection options, or on a cluster a client of its own. */
  readonly workerConnection: () => ConnectionOptions;
  readonly queueName: string;
  readonly prefix: string;
  /** At shutdown, how long flushes under way may take to finish (ms). */
  readonly closeTimeoutMs: number;
}

/** Flushes are short (a few Redis calls and queuing notifications); several may run at once. */
const concurrency = 8;

/** Finished flush jobs are kept this long, so a late duplicate is still recognised (s). */
const keptForSeconds = 24 * 3_600;

/**
 * Group flushes as delayed jobs of a BullMQ queue of Queuewatch's own: each flush is one job whose
 * id is the group and flush number, so every instance may schedule it and it runs once, on
 * whichever instance is free, when due — also after the instance that scheduled it is gone. A
 * flush that fails (Redis refused a write) is tried again.
 */
export class BullmqGroupFlushQueue implements GroupFlushQueue {
  private readonly queue: Queue<GroupFlush>;
  private worker: Worker<GroupFlush> | undefined;

  constructor(
    connection: RedisClient,
    private readonly options: GroupFlushQueueOptions,
    private readonly logger: Logger,
  ) {
    this.queue = new Queue<GroupFlush>(options.queueName, { connection, prefix: options.prefix });
    this.queue.on('error', () => undefined);
  }

  async schedule(flush: GroupFlush, now: number): Promise<void> {
    const jobId = `g-${createHash('sha1').update(flush.groupId).digest('hex')}-${String(flush.seq)}`;
    const job = await this.queue.add('flush', flush, {
      jobId,
      delay: Math.max(0, flush.dueAt - now),
      attempts: 20,
      backoff: { type: 'exponential', delay: 500 },
      removeOnComplete: { age: keptForSeconds, count: 10_000 },
      removeOnFail: { age: keptForSeconds, count: 10_000 },
    });
    // A flush that used up its tries would hold its id, and the group, until it is removed:
    // scheduled again, it runs again.
    if ((await job.getState()) === 'failed') await job.retry('failed');
  }

  start(run: (flush: GroupFlush) => Promise<void>): void {
    this.worker = new Worker<GroupFlush>(
      this.options.queueName,
      async (job: Job<GroupFlush>) => {
        await run(job.data);
      },
      { connection: this.options.workerConnection(), prefix: this.options.prefix, concurrency },
    );
    this.worker.on('error', (error) => {
      this.logger.warn('alert group worker error', { reason: error.message });
    });
    this.worker.on('failed', (job, error) => {
      this.logger.warn('alert group flush failed; it is tried again', {
        group: job?.data.groupKey,
        reason: error.message,
      });
    });
  }

  /**
   * Stop taking flushes and let the ones under way finish, for at most `closeTimeoutMs` (a Redis
   * that is away could keep them waiting); a flush cut short runs again on another instance.
   */
  async close(): Promise<void> {
    if (this.worker) await closeWorker(this.worker, this.options.closeTimeoutMs);
    await this.queue.close();
  }
}
