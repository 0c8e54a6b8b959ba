import { once } from 'node:events';
import type { RedisClient } from './redis-topology.js';
import type { CheckpointStore } from '../../application/ports/checkpoint-store.port.js';
import type { Clock } from '../../application/ports/clock.port.js';
import type { EventGap, JobEventSource } from '../../application/ports/job-event-source.port.js';
import type { Logger } from '../../application/ports/logger.port.js';
import { AttemptCounter } from '../../domain/job-events/attempt-counter.js';
import { CheckpointKeeper } from './checkpoint-keeper.js';
import type { JobEvent } from '../../domain/job-events/job-event.js';
import { attributeAttempts } from './attempt-attribution.js';
import { defineFailureContext, lookUpBatch } from './batch-lookups.js';
import { Listeners } from './listeners.js';
import { readBatch } from './read-batch.js';
import type { XReadReply } from './stream-entries.js';
import { StreamEventParser } from './stream-event-parser.js';
import { StreamKeys } from './stream-keys.js';
import { LostEvents } from './lost-events.js';
import { EventGapWatch } from './event-gap-watch.js';
import { readStreamInfos } from './stream-info.js';
import { readUntilDone, type RetryContext } from './read-until-done.js';
import { ReadPlan, type PlannedRead } from './read-plan.js';
import { reasonOf } from '../../domain/wording/reason.js';

/** Tuning of the stream reader. */
export interface StreamReaderOptions {
  readonly prefix: string;
  /** Where Queuewatch's own keys start (`queuewatch`, or `queuewatch:{tag}` on a cluster). */
  readonly keyRoot: string;
  /** Entries read per stream per XREAD. */
  readonly batchSize: number;
  /** How long one XREAD blocks (ms); also how soon a newly followed queue is read. */
  readonly blockMs: number;
  /** From this many streams on, busy ones are read apart from quiet ones (read-plan.ts; 100). */
  readonly tieredFrom?: number;
  /** Jobs whose start time is remembered for processing times. */
  readonly trackedJobs: number;
  /**
   * Events whose listeners' work (a dead-letter record, an alert notice) may be unfinished at
   * once; past it the reader reads no further until some is done. The stream keeps the rest.
   */
  readonly maxUnfinishedWork: number;
}

/**
 * Reads every followed queue's BullMQ event stream with one blocking XREAD over all the stream
 * keys, on a connection of its own: Redis connections do not grow with the number of queues.
 * Keeps the last id read per stream and resumes from it after a reconnect; when the stream was
 * trimmed past it, reports a gap instead of skipping silently.
 */
export class StreamJobEventSource implements JobEventSource {
  private readonly keys: StreamKeys;
  private readonly lastIds = new Map<string, string>();
  private readonly toFollow = new Map<string, 'now' | 'beginning'>();
  /** Streams whose position changed since the last batch was handed to the checkpoint keeper. */
  private readonly moved = new Set<string>();
  private readonly listenerFailed = (error: unknown): void => {
    this.logger.error('a job event listener failed', {
      reason: reasonOf(error),
    });
  };
  private readonly eventListeners = new Listeners<JobEvent>(this.listenerFailed);
  private readonly gapListeners = new Listeners<EventGap>(this.listenerFailed);
  private readonly activityListeners = new Listeners<readonly string[] | 'all'>(
    this.listenerFailed,
  );
  private saved: Map<string, string> | undefined;
  private readonly keeper: CheckpointKeeper;
  private readonly gapWatch: EventGapWatch;
  private readonly parser: StreamEventParser;
  private readonly attempts: AttemptCounter;
  private readonly plan: ReadPlan;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly stopping = new AbortController();
  private readonly retry: RetryContext;

  constructor(
    private readonly connection: RedisClient,
    clock: Clock,
    private readonly logger: Logger,
    private readonly options: StreamReaderOptions,
    private readonly checkpoints?: CheckpointStore,
  ) {
    this.keys = new StreamKeys(options.prefix);
    const pause = (): Promise<void> => this.idle();
    this.retry = { connection, stopping: this.stopping.signal, logger, pause };
    this.parser = new StreamEventParser(options.trackedJobs);
    this.attempts = new AttemptCounter(options.trackedJobs);
    this.keeper = new CheckpointKeeper(checkpoints, options.maxUnfinishedWork, clock, logger);
    this.plan = new ReadPlan({
      tieredFrom: options.tieredFrom ?? 100,
      blockMs: options.blockMs,
      hotForMs: 5_000,
      sweepMs: 200,
      sweepSlice: 1_000,
    });
    this.gapWatch = new EventGapWatch(
      new LostEvents(
        connection,
        clock,
        logger,
        (name) => this.keys.stream(name),
        `${options.keyRoot}:epoch`,
      ),
      this.attempts,
      this.gapListeners,
      clock,
      logger,
    );
    defineFailureContext(connection);
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
    this.eventListeners.add(listener);
  }

  onActivity(listener: (queues: readonly string[] | 'all') => void): void {
    this.activityListeners.add(listener);
  }

  onGap(listener: (gap: EventGap) => void): void {
    this.gapListeners.add(listener);
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
    const keeping = this.keeper.stop();
    this.connection.disconnect();
    await Promise.all([this.loop, keeping]);
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
        await this.gapWatch.check(this.lastIds, failing, (name) => {
          this.position(name, '0-0');
        });
        await this.startFollowing();
        if (this.lastIds.size === 0) {
          await this.idle();
          continue;
        }
        const reply = await this.read(this.plan.next(this.lastIds, performance.now()));
        if (failing) {
          failing = false;
          this.logger.info('job event stream reading resumed');
          // Whatever happened while reading was interrupted was not seen.
          this.activityListeners.tell('all');
        }
        if (reply) await this.handle(reply);
      } catch (error) {
        if (this.stopping.signal.aborted) break;
        if (!failing) {
          failing = true;
          this.logger.warn('job event stream reading interrupted; resuming when Redis is back', {
            reason: reasonOf(error),
          });
          this.activityListeners.tell('all');
        }
        // Whatever was read last, the stream may have been trimmed while we were away.
        this.gapWatch.suspect(this.lastIds.keys());
        if (this.connection.status === 'ready') await this.idle();
      }
    }
  }

  /** Where reading `name` goes on; the checkpoint keeper hears of it with the next batch. */
  private position(name: string, id: string): void {
    this.lastIds.set(name, id);
    this.moved.add(name);
  }

  /** One XREAD of the streams planned, each after the last entry read from it. */
  private read({ names, blockMs }: PlannedRead): Promise<XReadReply | null> {
    const keys = names.map((name) => this.keys.stream(name));
    const ids = names.map((name) => this.lastIds.get(name) ?? '$');
    const count = this.options.batchSize;
    return blockMs === null
      ? this.connection.xread('COUNT', count, 'STREAMS', ...keys, ...ids)
      : this.connection.xread('COUNT', count, 'BLOCK', blockMs, 'STREAMS', ...keys, ...ids);
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
    const infos = await readStreamInfos(
      this.connection,
      names.map((name) => this.keys.stream(name)),
    );
    names.forEach((name, index) => {
      const info = infos[index];
      if (info === 'error') return;
      const checkpoint = this.saved?.get(name);
      if (checkpoint !== undefined) {
        this.position(name, checkpoint);
        this.gapWatch.suspect([name]);
      } else {
        const fromNow = this.toFollow.get(name) === 'now';
        this.position(name, fromNow ? (info?.lastGeneratedId ?? '0-0') : '0-0');
      }
      this.toFollow.delete(name);
    });
  }

  private async handle(reply: XReadReply): Promise<void> {
    const { pending, active, lastReadIds, behind } = readBatch(
      reply,
      this.parser,
      (key) => this.keys.queueOf(key),
      this.options.batchSize,
    );
    for (const [name, id] of lastReadIds) this.position(name, id);
    this.plan.entriesRead(lastReadIds.keys(), performance.now());
    // Behind on a queue: check for trimming before the next read.
    this.gapWatch.suspect(behind);
    if (active.length > 0) this.activityListeners.tell(active);
    // The batch is read and parsed: its events must not be lost to a failed lookup.
    const lookups = await readUntilDone(
      () =>
        lookUpBatch(
          this.connection,
          {
            job: (queueName, jobId) => this.keys.job(queueName, jobId),
            stream: (queueName) => this.keys.stream(queueName),
          },
          pending,
          lastReadIds,
        ),
      'a batch of job events waits for its lookups; trying again',
      this.retry,
    );
    const events = attributeAttempts(pending, lookups, this.attempts, (queueName, jobId) =>
      this.parser.isRunning(queueName, jobId),
    );
    const work: Promise<void>[] = [];
    for (const event of events) this.eventListeners.tell(event, work);
    const moved = new Map([...this.moved].map((name) => [name, this.lastIds.get(name) ?? '0-0']));
    this.moved.clear();
    this.keeper.batchRead(moved, work);
    await this.keeper.room();
  }
}
