import { once } from 'node:events';
import { QueueKeys } from 'bullmq';
import type { Redis } from 'ioredis';
import type { CheckpointStore } from '../../application/ports/checkpoint-store.port.js';
import type { EventGap, JobEventSource } from '../../application/ports/job-event-source.port.js';
import type { Logger } from '../../application/ports/logger.port.js';
import type { JobEvent } from '../../domain/job-events/job-event.js';
import { ProcessingClock } from '../../domain/job-events/processing-clock.js';
import { compareIds, fieldsOf, msOf, parseJsonValue, type XReadReply } from './stream-entries.js';

/** Tuning of the stream reader. */
export interface StreamReaderOptions {
  readonly prefix: string;
  /** Entries read per stream per XREAD. */
  readonly batchSize: number;
  /** How long one XREAD blocks (ms); also how soon a newly followed queue is read. */
  readonly blockMs: number;
  /** Jobs whose start time is remembered for processing times. */
  readonly trackedJobs: number;
}

/** An event read, before the fields that need a job-hash lookup are filled in. */
interface PendingEvent {
  readonly queueName: string;
  readonly jobId: string;
  readonly at: number;
  /** `laterFailures`: failed attempts of the same job read after this event in the same batch. */
  readonly build: (job: JobFields | undefined, laterFailures: number) => JobEvent | null;
  readonly lookup: readonly string[] | null;
  /** The event ends an attempt with a failure (so the job's attempt count goes up). */
  readonly failure: boolean;
}

type JobFields = Map<string, string | null>;

/** What XINFO STREAM says of a stream, as far as gap detection needs. */
interface StreamInfo {
  readonly length: number;
  readonly lastGeneratedId: string;
  /** Entries ever added (Redis 7+; the length on older servers). */
  readonly entriesAdded: number;
  readonly firstId: string | null;
}

/**
 * Reads every followed queue's BullMQ event stream with one blocking XREAD over all the stream
 * keys, on a connection of its own: Redis connections do not grow with the number of queues.
 * Keeps the last id read per stream and resumes from it after a reconnect; when the stream was
 * trimmed past it, reports a gap instead of skipping silently.
 */
export class StreamJobEventSource implements JobEventSource {
  private readonly keys: QueueKeys;
  private readonly lastIds = new Map<string, string>();
  private readonly toFollow = new Map<string, 'now' | 'beginning'>();
  private readonly suspect = new Set<string>();
  private readonly listeners: ((event: JobEvent) => void | Promise<void>)[] = [];
  private saved: Map<string, string> | undefined;
  private lastSaveAt = 0;
  private readonly gapListeners: ((gap: EventGap) => void)[] = [];
  private readonly clock: ProcessingClock;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly stopping = new AbortController();

  constructor(
    private readonly connection: Redis,
    private readonly logger: Logger,
    private readonly options: StreamReaderOptions,
    private readonly checkpoints?: CheckpointStore,
  ) {
    this.keys = new QueueKeys(options.prefix);
    this.clock = new ProcessingClock(options.trackedJobs);
  }

  follow(queueNames: readonly string[], from: 'now' | 'beginning' = 'now'): void {
    let added = false;
    for (const name of queueNames) {
      if (this.lastIds.has(name) || this.toFollow.has(name)) continue;
      this.toFollow.set(name, from);
      added = true;
    }
    if (added) this.wake?.();
  }

  onEvent(listener: (event: JobEvent) => void | Promise<void>): void {
    this.listeners.push(listener);
  }

  onGap(listener: (gap: EventGap) => void): void {
    this.gapListeners.push(listener);
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    // Fix where each queue starts before anyone can act on Queuewatch being up; with Redis
    // away, the loop does it once Redis is back.
    try {
      if (this.connection.status !== 'ready') {
        await once(this.connection, 'ready', { signal: AbortSignal.timeout(3_000) });
      }
      await this.startFollowing();
    } catch {
      // Redis is away or slow: the loop starts following once it answers.
    }
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopping.abort();
    this.wake?.();
    this.connection.disconnect();
    await this.loop;
  }

  /** Queues followed so far (for tests and health). */
  followed(): string[] {
    return [...this.lastIds.keys()];
  }

  private async run(): Promise<void> {
    let failing = false;
    while (this.running) {
      try {
        if (this.connection.status !== 'ready') {
          await once(this.connection, 'ready', { signal: this.stopping.signal });
        }
        await this.checkGaps();
        await this.startFollowing();
        if (this.lastIds.size === 0) {
          await this.idle();
          continue;
        }
        const reply = await this.connection.xread(
          'COUNT',
          this.options.batchSize,
          'BLOCK',
          this.options.blockMs,
          'STREAMS',
          ...[...this.lastIds.keys()].map((name) => this.streamKey(name)),
          ...this.lastIds.values(),
        );
        if (failing) {
          failing = false;
          this.logger.info('job event stream reading resumed');
        }
        if (reply) await this.handle(reply);
      } catch (error) {
        if (this.stopping.signal.aborted) break;
        if (!failing) {
          failing = true;
          this.logger.warn('job event stream reading interrupted; resuming when Redis is back', {
            reason: error instanceof Error ? error.message : String(error),
          });
        }
        // Whatever was read last, the stream may have been trimmed while we were away.
        for (const name of this.lastIds.keys()) this.suspect.add(name);
        if (this.connection.status === 'ready') await this.idle();
      }
    }
  }

  /** Wait until a queue is followed, or one block interval, or stop. */
  private async idle(): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.options.blockMs);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = undefined;
  }

  /**
   * Start newly followed queues where this instance left off before a restart (its checkpoint),
   * else after their newest event (from the start when there is none).
   */
  private async startFollowing(): Promise<void> {
    if (this.toFollow.size === 0) return;
    this.saved ??= (await this.checkpoints?.load()) ?? new Map<string, string>();
    const names = [...this.toFollow.keys()];
    const infos = await this.streamInfos(names);
    names.forEach((name, index) => {
      const info = infos[index];
      if (info === 'error') return;
      const checkpoint = this.saved?.get(name);
      if (checkpoint !== undefined) {
        this.lastIds.set(name, checkpoint);
        this.suspect.add(name);
      } else {
        const fromNow = this.toFollow.get(name) === 'now';
        this.lastIds.set(name, fromNow ? (info?.lastGeneratedId ?? '0-0') : '0-0');
      }
      this.toFollow.delete(name);
    });
  }

  /**
   * For each suspect stream, see whether entries after the last one read were trimmed away.
   * Trimming removes the oldest entries first, so the last entry read still being in the stream
   * proves nothing was lost; a stream that starts after it has lost at least that entry's
   * successors (a stream keeps ~10,000 entries: being that far behind is a real loss).
   */
  private async checkGaps(): Promise<void> {
    if (this.suspect.size === 0) return;
    const names = [...this.suspect].filter((name) => this.lastIds.has(name));
    const infos = await this.streamInfos(names);
    names.forEach((name, index) => {
      this.suspect.delete(name);
      const info = infos[index];
      const lastReadId = this.lastIds.get(name);
      if (info === 'error' || info === null || info === undefined || lastReadId === undefined)
        return;
      const lost =
        lastReadId === '0-0'
          ? info.entriesAdded > info.length
          : info.firstId === null
            ? compareIds(info.lastGeneratedId, lastReadId) > 0
            : compareIds(info.firstId, lastReadId) > 0;
      if (!lost) return;
      const gap: EventGap = {
        queueName: name,
        lastReadId,
        resumedAtId: info.firstId ?? info.lastGeneratedId,
        detectedAt: Date.now(),
      };
      this.logger.warn('job events were lost: the stream was trimmed past the last event read', {
        ...gap,
      });
      for (const listener of this.gapListeners) listener(gap);
    });
  }

  /** XINFO STREAM of each queue's stream: `null` when it does not exist, `'error'` on failure. */
  private async streamInfos(names: readonly string[]): Promise<(StreamInfo | null | 'error')[]> {
    if (names.length === 0) return [];
    const pipeline = this.connection.pipeline();
    for (const name of names) pipeline.xinfo('STREAM', this.streamKey(name));
    const replies = (await pipeline.exec()) ?? [];
    return names.map((_, index) => {
      const [error, reply] = replies[index] ?? [new Error('no reply'), null];
      if (error) return /no such key/i.test(error.message) ? null : 'error';
      if (!Array.isArray(reply)) return 'error';
      const fields = new Map<string, unknown>();
      for (let at = 0; at + 1 < reply.length; at += 2) fields.set(String(reply[at]), reply[at + 1]);
      const firstEntry = fields.get('first-entry');
      return {
        length: Number(fields.get('length') ?? 0),
        lastGeneratedId: textOr(fields.get('last-generated-id'), '0-0'),
        entriesAdded: Number(fields.get('entries-added') ?? fields.get('length') ?? 0),
        firstId: Array.isArray(firstEntry) ? textOr(firstEntry[0], null) : null,
      };
    });
  }

  private async handle(reply: XReadReply): Promise<void> {
    const pending: PendingEvent[] = [];
    for (const [key, entries] of reply) {
      const name = this.queueOf(key);
      if (name === null) continue;
      for (const [id, fields] of entries) {
        const event = this.read(name, id, fieldsOf(fields));
        if (event) pending.push(event);
      }
      const last = entries.at(-1);
      if (last) this.lastIds.set(name, last[0]);
      // A full batch means we are behind: check for trimming before the next read.
      if (entries.length >= this.options.batchSize) this.suspect.add(name);
    }
    const lookups = await this.lookUp(pending);
    // The job hash is read after the whole batch: an attempt counter read then may already
    // include failures that come later in the batch, so those are taken off again.
    const laterFailures = new Array<number>(pending.length).fill(0);
    const failuresSeen = new Map<string, number>();
    for (let index = pending.length - 1; index >= 0; index -= 1) {
      const event = pending[index];
      if (!event) continue;
      const key = `${event.queueName}:${event.jobId}`;
      laterFailures[index] = failuresSeen.get(key) ?? 0;
      if (event.failure) failuresSeen.set(key, (laterFailures[index] ?? 0) + 1);
    }
    const work: Promise<void>[] = [];
    pending.forEach((event, index) => {
      const built = event.build(lookups[index], laterFailures[index] ?? 0);
      if (!built) return;
      for (const listener of this.listeners) {
        try {
          const done = listener(built);
          if (done)
            work.push(
              done.catch((error: unknown) => {
                this.listenerFailed(error);
              }),
            );
        } catch (error) {
          this.listenerFailed(error);
        }
      }
    });
    await Promise.all(work);
    await this.saveCheckpoints();
  }

  /** At most once a second: a restart replays at most that much (dead-letter writes are idempotent). */
  private async saveCheckpoints(): Promise<void> {
    if (!this.checkpoints) return;
    const now = Date.now();
    if (now - this.lastSaveAt < 1_000) return;
    this.lastSaveAt = now;
    await this.checkpoints.save(this.lastIds);
  }

  private listenerFailed(error: unknown): void {
    this.logger.error('a job event listener failed', {
      reason: error instanceof Error ? error.message : String(error),
    });
  }

  /** Read the job-hash fields some events need, in one pipeline for the whole batch. */
  private async lookUp(pending: readonly PendingEvent[]): Promise<(JobFields | undefined)[]> {
    const needed = pending.filter((event) => event.lookup !== null);
    if (needed.length === 0) return [];
    const pipeline = this.connection.pipeline();
    for (const event of needed) {
      pipeline.hmget(this.jobKey(event.queueName, event.jobId), ...(event.lookup ?? []));
    }
    const replies = (await pipeline.exec()) ?? [];
    let next = 0;
    return pending.map((event) => {
      if (event.lookup === null) return undefined;
      const [error, values] = replies[next++] ?? [null, null];
      if (error || !Array.isArray(values)) return undefined;
      const fields: JobFields = new Map();
      event.lookup.forEach((field, index) => {
        const value: unknown = values[index];
        fields.set(field, typeof value === 'string' ? value : null);
      });
      return fields;
    });
  }

  private read(queueName: string, id: string, fields: Map<string, string>): PendingEvent | null {
    const jobId = fields.get('jobId');
    if (jobId === undefined) return null;
    const at = msOf(id);
    const base = { queueName, jobId, at };
    switch (fields.get('event') ?? '') {
      case 'active':
        this.clock.started(queueName, jobId, at);
        return {
          ...base,
          lookup: null,
          failure: false,
          build: () => ({ kind: 'active', ...base }),
        };
      case 'progress': {
        const progress = parseJsonValue(fields.get('data'));
        return {
          ...base,
          lookup: null,
          failure: false,
          build: () => ({ kind: 'progress', ...base, progress }),
        };
      }
      case 'completed': {
        const returnValue = parseJsonValue(fields.get('returnvalue'));
        const seen = this.clock.finished(queueName, jobId, at);
        return {
          ...base,
          lookup: seen === null ? ['processedOn', 'finishedOn'] : null,
          failure: false,
          build: (job) => ({
            kind: 'completed',
            ...base,
            returnValue: returnValue ?? undefined,
            processingTime: seen ?? durationOf(job),
          }),
        };
      }
      case 'failed': {
        this.clock.finished(queueName, jobId, at);
        const failedReason = fields.get('failedReason') ?? '';
        return {
          ...base,
          lookup: ['atm'],
          failure: true,
          build: (job, laterFailures) => ({
            kind: 'failed',
            ...base,
            failedReason,
            attemptsMade: attemptsAt(job, laterFailures),
            willRetry: false,
          }),
        };
      }
      case 'delayed':
      case 'waiting': {
        // A job that goes from active back to delayed/waiting failed an attempt and will be
        // retried (BullMQ's event stream has no "failed" entry for such attempts). A job moved
        // back for another reason (rate limit, moveToDelayed) has no failedReason, or keeps an
        // earlier attempt's: then it is reported as that attempt's failure.
        if (fields.get('event') === 'waiting' && fields.get('prev') !== 'active') return null;
        if (!this.clock.isRunning(queueName, jobId)) return null;
        this.clock.finished(queueName, jobId, at);
        return {
          ...base,
          lookup: ['failedReason', 'atm'],
          failure: true,
          build: (job, laterFailures) => {
            const failedReason = job?.get('failedReason');
            if (!failedReason) return null;
            return {
              kind: 'failed',
              ...base,
              failedReason,
              attemptsMade: attemptsAt(job, laterFailures),
              willRetry: true,
            };
          },
        };
      }
      default:
        return null;
    }
  }

  private streamKey(queueName: string): string {
    return this.keys.toKey(queueName, 'events');
  }

  private jobKey(queueName: string, jobId: string): string {
    return this.keys.toKey(queueName, jobId);
  }

  private queueOf(streamKey: string): string | null {
    const head = `${this.options.prefix}:`;
    const tail = ':events';
    if (!streamKey.startsWith(head) || !streamKey.endsWith(tail)) return null;
    return streamKey.slice(head.length, -tail.length);
  }
}

function durationOf(job: JobFields | undefined): number | null {
  const processedOn = numberOrNull(job?.get('processedOn'));
  const finishedOn = numberOrNull(job?.get('finishedOn'));
  return processedOn !== null && finishedOn !== null ? Math.max(0, finishedOn - processedOn) : null;
}

/** The job's attempt counter as it was at the event. */
function attemptsAt(job: JobFields | undefined, laterFailures: number): number | null {
  const now = numberOrNull(job?.get('atm'));
  return now === null ? null : Math.max(1, now - laterFailures);
}

function numberOrNull(text: string | null | undefined): number | null {
  if (text === null || text === undefined || text === '') return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

function textOr<T>(value: unknown, fallback: T): string | T {
  return typeof value === 'string' ? value : fallback;
}
