import type { JobLogPayload } from '../contract/socket-events.js';
import type { JobBrowser } from '../ports/job-browser.port.js';
import type { Logger } from '../ports/logger.port.js';
import type { Timer } from '../ports/timer.port.js';
import type { MonitoredQueues } from '../queues/monitored-queues.js';
import { reasonOf } from '../../domain/wording/reason.js';

/** Where followed log lines go: to the named subscribers (socket ids). */
export interface JobLogSink {
  send(subscribers: readonly string[], payload: JobLogPayload): void;
}

/** How often and how much the follower reads. */
export interface JobLogFollowerOptions {
  /** How often each followed job's log is read for new lines (ms). */
  readonly intervalMs: number;
  /** Lines read per job and read at most. */
  readonly maxLines: number;
  /** Jobs one subscriber may follow at once. */
  readonly perSubscriber: number;
}

/** How a follow request ended. */
export type FollowOutcome =
  | { readonly ok: true; readonly changed: boolean; readonly count: number }
  | {
      readonly ok: false;
      readonly code: 'QW_INVALID_PAYLOAD' | 'QW_SUBSCRIPTION_LIMIT';
      readonly message: string;
    };

interface Followed {
  readonly queueName: string;
  readonly jobId: string;
  /** The index of the next line to read. */
  offset: number;
  readonly subscribers: Set<string>;
  /** Its first follower's lines are being read: the ticks leave it alone until then. */
  catchingUp: boolean;
}

/**
 * Live logs: for each job someone follows, reads the lines added since the last read (one
 * LRANGE per job, every `intervalMs`) and sends them to its followers. Reads only while someone
 * follows a job; a new follower first gets the lines it asked for from its offset.
 */
export class JobLogFollower {
  private readonly followed = new Map<string, Followed>();
  private readonly bySubscriber = new Map<string, Set<string>>();
  private stopTimer: (() => void) | null = null;
  private reading = false;

  constructor(
    private readonly queues: MonitoredQueues,
    private readonly browser: Pick<JobBrowser, 'logs'>,
    private readonly timer: Timer,
    private readonly sink: JobLogSink,
    private readonly logger: Logger,
    private readonly options: JobLogFollowerOptions = {
      intervalMs: 1_000,
      maxLines: 500,
      perSubscriber: 20,
    },
  ) {}

  /** Follow a job's log from `offset`: the lines from there come at once, the new ones as added. */
  async follow(
    subscriber: string,
    queueName: string,
    jobId: string,
    offset: number,
  ): Promise<FollowOutcome> {
    if (!this.queues.get(queueName)) {
      return {
        ok: false,
        code: 'QW_INVALID_PAYLOAD',
        message: `queue "${queueName}" is not watched by Queuewatch`,
      };
    }
    const key = keyOf(queueName, jobId);
    const own = this.bySubscriber.get(subscriber) ?? new Set<string>();
    if (own.has(key)) return { ok: true, changed: false, count: own.size };
    if (own.size >= this.options.perSubscriber) {
      return {
        ok: false,
        code: 'QW_SUBSCRIPTION_LIMIT',
        message: `a connection follows the logs of at most ${String(this.options.perSubscriber)} jobs`,
      };
    }
    own.add(key);
    this.bySubscriber.set(subscriber, own);
    let entry = this.followed.get(key);
    // Up to where the others have been sent lines (or, for the first follower, as far as read).
    const until = entry?.offset ?? Number.POSITIVE_INFINITY;
    if (!entry) {
      entry = { queueName, jobId, offset, subscribers: new Set(), catchingUp: true };
      this.followed.set(key, entry);
    }
    entry.subscribers.add(subscriber);
    this.stopTimer ??= this.timer.every(this.options.intervalMs, () => void this.tick());
    if (offset < until) {
      try {
        const read = await this.browser.logs(
          queueName,
          jobId,
          offset,
          Math.min(this.options.maxLines, until - offset),
        );
        if (read && read.lines.length > 0) {
          this.sink.send([subscriber], { queueName, jobId, offset, lines: read.lines });
          if (entry.catchingUp) entry.offset = offset + read.lines.length;
        }
      } finally {
        entry.catchingUp = false;
      }
    }
    return { ok: true, changed: true, count: own.size };
  }

  /** Stop following one job; `changed` is false when the subscriber did not follow it. */
  unfollow(subscriber: string, queueName: string, jobId: string): FollowOutcome {
    const key = keyOf(queueName, jobId);
    const own = this.bySubscriber.get(subscriber);
    const changed = own?.delete(key) ?? false;
    if (own?.size === 0) this.bySubscriber.delete(subscriber);
    if (changed) this.leave(key, subscriber);
    return { ok: true, changed, count: own?.size ?? 0 };
  }

  /** A subscriber left (its socket closed): stop following everything it followed. */
  forget(subscriber: string): void {
    for (const key of this.bySubscriber.get(subscriber) ?? []) this.leave(key, subscriber);
    this.bySubscriber.delete(subscriber);
  }

  /** Jobs followed by someone now. */
  get size(): number {
    return this.followed.size;
  }

  stop(): void {
    this.stopTimer?.();
    this.stopTimer = null;
    this.followed.clear();
    this.bySubscriber.clear();
  }

  private leave(key: string, subscriber: string): void {
    const entry = this.followed.get(key);
    entry?.subscribers.delete(subscriber);
    if (entry?.subscribers.size === 0) this.followed.delete(key);
    if (this.followed.size === 0) {
      this.stopTimer?.();
      this.stopTimer = null;
    }
  }

  /** Read every followed job's new lines; a read still running when the next is due is skipped. */
  async tick(): Promise<void> {
    if (this.reading) return;
    this.reading = true;
    try {
      await Promise.all([...this.followed.values()].map((entry) => this.readNew(entry)));
    } finally {
      this.reading = false;
    }
  }

  private async readNew(entry: Followed): Promise<void> {
    if (entry.catchingUp) return;
    try {
      const from = entry.offset;
      const read = await this.browser.logs(
        entry.queueName,
        entry.jobId,
        from,
        this.options.maxLines,
      );
      if (!read || read.lines.length === 0 || entry.offset !== from) return;
      entry.offset = from + read.lines.length;
      if (entry.subscribers.size === 0) return;
      this.sink.send([...entry.subscribers], {
        queueName: entry.queueName,
        jobId: entry.jobId,
        offset: from,
        lines: read.lines,
      });
    } catch (error) {
      this.logger.warn('reading a followed job log failed; trying again at the next tick', {
        queue: entry.queueName,
        jobId: entry.jobId,
        reason: reasonOf(error),
      });
    }
  }
}

function keyOf(queueName: string, jobId: string): string {
  return JSON.stringify([queueName, jobId]);
}
