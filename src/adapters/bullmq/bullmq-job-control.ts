import { Job, Queue } from 'bullmq';
import type { RedisClient } from './redis-topology.js';
import type { JobState } from '../../application/contract/jobs.js';
import type {
  ControlOutcome,
  JobControl,
  JobTemplate,
} from '../../application/ports/job-control.port.js';

/** BullMQ's codes for a script that found the job gone or in another state (`ErrorCode`). */
const jobNotExist = -1;
const jobLockNotExist = -2;
const jobNotInState = -3;

/**
 * Options of a job that would tie a copy to the original (its id, its scheduler, its parent, its
 * deduplication key) or that BullMQ sets itself; a copy is added without them.
 */
const notCopied = new Set([
  'jobId',
  'repeat',
  'repeatJobKey',
  'parent',
  'deduplication',
  'debounce',
  'prevMillis',
  'timestamp',
  'telemetry',
]);

/**
 * Changes jobs and queues through BullMQ's own atomic scripts, on Queuewatch's connection for
 * short commands. A script that finds the job no longer where the change starts from refuses it
 * (BullMQ's `JobNotInState`), so of two operators retrying one job at once exactly one retries it.
 */
export class BullmqJobControl implements JobControl {
  private readonly queues = new Map<string, Queue>();

  constructor(
    private readonly connection: RedisClient,
    private readonly prefix: string,
  ) {}

  async stateOf(queueName: string, jobId: string): Promise<JobState | null> {
    const state = await this.queueOf(queueName).getJobState(jobId);
    return state === 'unknown' ? null : jobState(state);
  }

  async retry(
    queueName: string,
    jobId: string,
    from: 'failed' | 'completed',
  ): Promise<ControlOutcome> {
    const job = await Job.fromId(this.queueOf(queueName), jobId);
    if (!job) return { ok: false, state: null };
    return this.settle(queueName, jobId, () => job.retry(from));
  }

  async promote(queueName: string, jobId: string): Promise<ControlOutcome> {
    const queue = this.queueOf(queueName);
    return this.settle(queueName, jobId, async () => {
      await queue.waitUntilReady();
      await queue.backend.promote(jobId);
    });
  }

  async remove(queueName: string, jobId: string, children: boolean): Promise<ControlOutcome> {
    return this.settle(queueName, jobId, async () => {
      const removed = await this.queueOf(queueName).remove(jobId, { removeChildren: children });
      // 0: the job, or one of its children, is locked by a worker.
      if (removed !== 1) throw Object.assign(new Error('locked'), { code: jobLockNotExist });
    });
  }

  async templateOf(queueName: string, jobId: string): Promise<JobTemplate | null> {
    const job = await Job.fromId(this.queueOf(queueName), jobId);
    if (!job) return null;
    const options = Object.fromEntries(
      Object.entries(job.opts).filter(([key, value]) => !notCopied.has(key) && value !== undefined),
    );
    return { name: job.name, data: job.data, options };
  }

  async add(queueName: string, template: JobTemplate): Promise<string> {
    const job = await this.queueOf(queueName).add(template.name, template.data, template.options);
    return String(job.id);
  }

  async pause(queueName: string): Promise<void> {
    await this.queueOf(queueName).pause();
  }

  async resume(queueName: string): Promise<void> {
    await this.queueOf(queueName).resume();
  }

  async drain(queueName: string, delayed: boolean): Promise<number> {
    const queue = this.queueOf(queueName);
    const states = delayed
      ? (['wait', 'prioritized', 'delayed'] as const)
      : (['wait', 'prioritized'] as const);
    const before = await queue.getJobCountByTypes(...states);
    await queue.drain(delayed);
    const after = await queue.getJobCountByTypes(...states);
    // Jobs added while it drained are not counted as removed.
    return Math.max(0, before - after);
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }

  /** The queue of that name on the shared connection, made once. */
  queueOf(queueName: string): Queue {
    let queue = this.queues.get(queueName);
    if (!queue) {
      queue = new Queue(queueName, { connection: this.connection, prefix: this.prefix });
      queue.on('error', () => undefined);
      this.queues.set(queueName, queue);
    }
    return queue;
  }

  /** Run a change; BullMQ's refusals become outcomes that say where the job is now. */
  private async settle(
    queueName: string,
    jobId: string,
    change: () => Promise<void>,
  ): Promise<ControlOutcome> {
    try {
      await change();
      return { ok: true };
    } catch (error) {
      const code = codeOf(error);
      if (code === jobNotExist) return { ok: false, state: null };
      if (code === jobNotInState || code === jobLockNotExist) {
        return { ok: false, state: await this.stateOf(queueName, jobId) };
      }
      throw error;
    }
  }
}

/** BullMQ's state names as the wire's (`wait` is `waiting`). */
export function jobState(state: string): JobState {
  switch (state) {
    case 'wait':
    case 'waiting':
    case 'paused':
      return 'waiting';
    case 'prioritized':
    case 'active':
    case 'delayed':
    case 'completed':
    case 'failed':
    case 'waiting-children':
      return state;
    default:
      return 'unknown';
  }
}

function codeOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}
