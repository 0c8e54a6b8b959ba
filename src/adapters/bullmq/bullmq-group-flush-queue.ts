import { createHash } from 'node:crypto';
import { Queue, type Job } from 'bullmq';
import type { RedisClient } from './redis-topology.js';
import type { GroupFlush, GroupFlushQueue } from '../../application/ports/alert-groups.port.js';
import type { Logger } from '../../application/ports/logger.port.js';
import { finishedAlertJobsKept, groupFlushJobName, type BullmqAlertJobs } from './alert-jobs.js';
import { reasonOf } from '../../domain/wording/reason.js';

/** Where earlier versions of Queuewatch kept group flushes, in a queue and worker of their own. */
export interface FormerFlushQueue {
  readonly queueName: string;
  readonly prefix: string;
}

/**
 * Group flushes as delayed jobs in the alert work queue: each flush is one job whose id is the
 * group and flush number, so every instance may schedule it and it runs once, on whichever
 * instance is free, when due — also after the instance that scheduled it is gone. A flush that
 * fails (Redis refused a write) is tried again.
 */
export class BullmqGroupFlushQueue implements GroupFlushQueue {
  constructor(
    private readonly connection: RedisClient,
    private readonly jobs: BullmqAlertJobs,
    private readonly former: FormerFlushQueue,
    private readonly logger: Logger,
  ) {}

  async schedule(flush: GroupFlush, now: number): Promise<void> {
    const jobId = `g-${createHash('sha1').update(flush.groupId).digest('hex')}-${String(flush.seq)}`;
    await this.add(jobId, flush, Math.max(0, flush.dueAt - now));
  }

  start(run: (flush: GroupFlush) => Promise<void>): void {
    this.jobs.handle('group-flush', {
      run: async (job: Job<GroupFlush>) => {
        try {
          await run(job.data);
        } catch (error) {
          this.logger.warn('alert group flush failed; it is tried again', {
            group: job.data.groupKey,
            reason: reasonOf(error),
          });
          throw error;
        }
      },
    });
    this.adoptFormerFlushes().catch((error: unknown) => {
      this.logger.warn('group flushes of an earlier version not moved; trying at next start', {
        queue: this.former.queueName,
        reason: reasonOf(error),
      });
    });
  }

  close(): Promise<void> {
    return this.jobs.close();
  }

  private async add(jobId: string, flush: GroupFlush, delay: number): Promise<void> {
    const job = await this.jobs.queue.add(groupFlushJobName, flush, {
      jobId,
      delay,
      attempts: 20,
      backoff: { type: 'exponential', delay: 500 },
      removeOnComplete: finishedAlertJobsKept,
      removeOnFail: finishedAlertJobsKept,
    });
    // A flush that used up its tries would hold its id, and the group, until it is removed:
    // scheduled again, it runs again.
    if ((await job.getState()) === 'failed') await job.retry('failed');
  }

  /**
   * Move the flushes still waiting in an earlier version's queue into this one, each when it was
   * due (its id kept, so moving twice after a crash moves once). A flush that an earlier
   * instance was running is left to it; so are flushes an earlier instance still running in a
   * rolling upgrade schedules after this one started (the next start moves them).
   */
  private async adoptFormerFlushes(): Promise<void> {
    // Once Redis answers: at start it may not yet, or not for a while.
    await this.jobs.queue.waitUntilReady();
    const root = `${this.former.prefix}:${this.former.queueName}`;
    const lists = ['wait', 'delayed', 'prioritized', 'paused'].map((list) => `${root}:${list}`);
    if ((await this.connection.exists(...lists)) === 0) return;
    const former = new Queue<GroupFlush>(this.former.queueName, {
      connection: this.connection,
      prefix: this.former.prefix,
    });
    former.on('error', () => undefined);
    try {
      let moved = 0;
      for (;;) {
        const batch = await former.getJobs(['waiting', 'delayed', 'prioritized'], 0, 99);
        const before = moved;
        for (const job of batch) {
          if (job.id === undefined) continue;
          await this.add(job.id, job.data, Math.max(0, job.timestamp + job.delay - Date.now()));
          await job.remove();
          moved += 1;
        }
        if (moved === before) break;
      }
      if (moved > 0) {
        this.logger.info('group flushes of an earlier version moved to the alert work queue', {
          from: this.former.queueName,
          moved,
        });
      }
    } finally {
      await former.close();
    }
  }
}
