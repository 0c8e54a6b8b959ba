import {
  ConnectionClosedError,
  Queue,
  QueueKeys,
  RedisConnection,
  RedisQueueBackend,
  Worker,
  type BackendFactory,
  type ConnectionOptions,
  type Job,
  type MinimalJob,
} from 'bullmq';
import { Cluster } from 'ioredis';
import type { RedisClient } from './redis-topology.js';
import type { Logger } from '../../application/ports/logger.port.js';
import { closeWorker } from './close-worker.js';
import { reasonOf } from '../../domain/wording/reason.js';

/** The two kinds of alert work; a group flush's job carries this name, a notification its destination's. */
export type AlertJobKind = 'notification' | 'group-flush';

/** Destination names never hold a `:`, so no notification's job can take this name. */
export const groupFlushJobName = 'queuewatch:group-flush';

/** How one kind of job is run. */
export interface AlertJobHandler {
  run(job: Job, token: string | undefined): Promise<void>;
  /** The wait before the next try of a job whose backoff type is not BullMQ's own (ms). */
  backoff?(attemptsMade: number, error: Error | undefined): number;
}

/** How the alert work queue is set up. */
export interface AlertJobsOptions {
  readonly queueName: string;
  readonly prefix: string;
  /** Made when the worker starts: the worker's blocking connection, or on a cluster a client of its own. */
  readonly blockingConnection: () => ConnectionOptions;
  /** At shutdown, how long jobs under way may take to finish before they are cut (ms). */
  readonly closeTimeoutMs: number;
  /** Says whether an error means there is no connection to Redis now (see AlertWorkerBackend). */
  readonly connectionLost: (error: unknown) => boolean;
}

/**
 * How long finished jobs of either kind stay: BullMQ trims a queue's finished sets by the options
 * of whichever job finishes, so both kinds keep the same. A job kept is what makes queuing the
 * same notification or flush again (same job id) a no-op.
 */
export const finishedAlertJobsKept = { age: 7 * 24 * 3_600, count: 10_000 } as const;

/** Notifications and flushes running at once; one slow destination holds one of them, not all. */
const concurrency = 16;

/** While Redis is away, how often the alert worker says so at warn level (ms). */
const lostLogEveryMs = 60_000;

/**
 * The one BullMQ queue of Queuewatch's alert work — notifications to deliver and group flushes —
 * and the one worker that runs both: jobs survive a restart, and with several instances each job
 * runs once. The worker sends its short commands on Queuewatch's command connection and opens
 * one connection of its own, for the blocking wait for jobs; so alerting costs one connection,
 * whatever it carries. It starts once both kinds have a handler.
 */
export class BullmqAlertJobs {
  readonly queue: Queue;
  private readonly handlers = new Map<AlertJobKind, AlertJobHandler>();
  private worker: Worker | undefined;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly connection: RedisClient,
    private readonly options: AlertJobsOptions,
    private readonly logger: Logger,
  ) {
    this.queue = new Queue(options.queueName, { connection, prefix: options.prefix });
    this.queue.on('error', () => undefined);
  }

  /** Run `kind`'s jobs with `handler`; the worker starts when both kinds have one. */
  handle(kind: AlertJobKind, handler: AlertJobHandler): void {
    this.handlers.set(kind, handler);
    if (this.handlers.size === 2 && !this.worker && !this.closing) this.start();
  }

  /**
   * Stop taking jobs and let the ones under way finish (so none runs twice), for at most
   * `closeTimeoutMs`; the rest stay queued for the other instances. Closing twice closes once.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.worker) await closeWorker(this.worker, this.options.closeTimeoutMs);
      await this.queue.close();
    })();
    return this.closing;
  }

  private start(): void {
    const handlerOf = (job: MinimalJob | undefined): AlertJobHandler | undefined =>
      this.handlers.get(job?.name === groupFlushJobName ? 'group-flush' : 'notification');
    this.worker = new Worker(
      this.options.queueName,
      async (job: Job, token?: string) => {
        const handler = handlerOf(job);
        if (!handler) throw new Error(`no handler for the alert job ${job.name}`);
        await handler.run(job, token);
      },
      {
        connection: this.connection,
        prefix: this.options.prefix,
        concurrency,
        // While Redis is away: ask again every second (BullMQ's default waits 15 s).
        runRetryDelay: 1_000,
        settings: {
          backoffStrategy: (
            attemptsMade: number,
            _type?: string,
            error?: Error,
            job?: MinimalJob,
          ) => handlerOf(job)?.backoff?.(attemptsMade, error) ?? 1_000,
        },
      },
      withOwnBlockingConnection(this.options),
    );
    let lostLoggedAt = Number.NEGATIVE_INFINITY;
    let triesSince = 0;
    this.worker.on('error', (error) => {
      if (!this.options.connectionLost(error)) {
        this.logger.warn('alert worker error', { reason: error.message });
        return;
      }
      // Redis away: the worker tries again every second. Once a minute at warn (its own blocking
      // connection may be the only one cut), the other tries at debug.
      triesSince += 1;
      const now = performance.now();
      if (now - lostLoggedAt < lostLogEveryMs) {
        this.logger.debug('the alert worker waits for Redis', { reason: error.message });
        return;
      }
      this.logger.warn('the alert worker cannot reach Redis; it keeps trying', {
        reason: error.message,
        tries: triesSince,
      });
      lostLoggedAt = now;
      triesSince = 0;
    });
  }
}

/**
 * BullMQ's Redis backend, except that the worker's blocking connection is opened from
 * `blockingConnection` rather than copied from the shared client (whose commands time out,
 * which a blocking wait must not).
 */
function withOwnBlockingConnection(options: AlertJobsOptions): BackendFactory<RedisQueueBackend> {
  return (name, opts, flags) => {
    const connection = new RedisConnection(opts.connection, { shared: true, blocking: false });
    // Closed with the worker (BullMQ closes a connection it does not share).
    const blocking = flags?.withBlockingConnection
      ? new RedisConnection(ownConnection(options.blockingConnection()), {
          shared: false,
          blocking: true,
        })
      : undefined;
    const keys = new QueueKeys(options.prefix);
    return new AlertWorkerBackend(
      options.connectionLost,
      connection,
      name,
      keys.getKeys(name),
      (type) => keys.toKey(name, type),
      opts,
      blocking,
    );
  };
}

/**
 * BullMQ's backend, except that a fetch refused because Redis is away (`connectionLost` tells
 * such errors; bootstrap passes the classifier the HTTP API uses) is thrown as BullMQ's own
 * ConnectionClosedError. Queuewatch's command connection keeps no offline queue, so ioredis
 * refuses at once ("Stream isn't writeable…"), and BullMQ 6 takes only "Connection is closed."
 * and ECONNREFUSED for a lost connection: it took the refusal for a job's error and asked again
 * at once, in a loop of promises that never let the event loop run (so nothing reconnected).
 * As a lost connection, the worker waits `runRetryDelay` before it asks again.
 */
export class AlertWorkerBackend extends RedisQueueBackend {
  constructor(
    private readonly connectionLost: (error: unknown) => boolean,
    ...backend: ConstructorParameters<typeof RedisQueueBackend>
  ) {
    super(...backend);
  }

  override async moveToActive(token: string, name?: string): Promise<unknown[]> {
    try {
      return (await super.moveToActive(token, name)) as unknown[];
    } catch (error) {
      if (!this.connectionLost(error)) throw error;
      throw new ConnectionClosedError(reasonOf(error), error);
    }
  }
}

/** A cluster client as it is; plain options with the connection's name for CLIENT LIST. */
function ownConnection(own: ConnectionOptions): ConnectionOptions {
  return own instanceof Cluster ? own : { ...own, connectionName: 'queuewatch:alert-worker' };
}
