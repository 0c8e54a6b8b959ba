import { Worker, type Job, type Queue } from 'bullmq';

/** How jobs arrive: evenly spaced, or at random as independent users add them (Poisson). */
export type ArrivalPattern = 'even' | 'poisson';

/** How long one job takes, in ms: always the mean, or exponentially distributed around it. */
export type ServicePattern = 'fixed' | 'exponential';

/** Ticks of the producer: jobs due in a tick are added together, in one `addBulk`. */
const tickMs = 20;

/**
 * A producer adding jobs to one queue at a rate that can be changed while it runs. Job
 * timestamps are set by BullMQ when each bulk is added, as for any producer.
 */
export class Arrivals {
  private perSecond = 0;
  private nextAt = performance.now();
  private timer: NodeJS.Timeout | undefined;
  private adding: Promise<unknown> = Promise.resolve();
  /** Jobs added so far. */
  added = 0;

  constructor(
    private readonly queue: Queue,
    private readonly pattern: ArrivalPattern,
  ) {}

  /** Add `perSecond` jobs a second from now on (0 stops adding). */
  setRate(perSecond: number): void {
    this.perSecond = perSecond;
    this.nextAt = performance.now() + this.gap();
    this.timer ??= setInterval(() => {
      this.tick();
    }, tickMs);
  }

  /** Stop adding, once the jobs of the last tick are in. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.adding;
  }

  private tick(): void {
    if (this.perSecond <= 0) return;
    const now = performance.now();
    let due = 0;
    while (this.nextAt <= now) {
      due += 1;
      this.nextAt += this.gap();
    }
    if (due === 0) return;
    const jobs = Array.from({ length: due }, () => ({ name: 'bench', data: {} }));
    this.added += due;
    this.adding = this.queue.addBulk(jobs).catch(() => undefined);
  }

  private gap(): number {
    const mean = 1000 / this.perSecond;
    return this.pattern === 'even' ? mean : -Math.log(1 - Math.random()) * mean;
  }
}

/** A job's wait: from when it was added to when a worker took it. */
export interface JobWait {
  /** job.timestamp (ms since the epoch). */
  readonly addedAt: number;
  /** job.processedOn − job.timestamp (ms). */
  readonly waitMs: number;
}

/** How the pool's workers work. */
export interface WorkerPoolOptions {
  readonly redisUrl: string;
  readonly queueName: string;
  readonly concurrency: number;
  readonly serviceMs: number;
  readonly service: ServicePattern;
  /** Keep each job's wait (the prediction scenario); off, nothing is kept per job. */
  readonly recordWaits: boolean;
}

/**
 * BullMQ workers on one queue, as many as asked: `resize` adds workers or closes some (a closed
 * worker finishes the jobs it holds first, as a scaled-down deployment does).
 */
export class WorkerPool {
  private readonly workers: Worker[] = [];
  /** Jobs finished so far. */
  completed = 0;
  readonly waits: JobWait[] = [];

  constructor(private readonly options: WorkerPoolOptions) {}

  get size(): number {
    return this.workers.length;
  }

  async resize(count: number): Promise<void> {
    while (this.workers.length < count) this.workers.push(this.startWorker());
    const leaving = this.workers.splice(count);
    await Promise.all(leaving.map((worker) => worker.close()));
    await Promise.all(this.workers.map((worker) => worker.waitUntilReady()));
  }

  async close(): Promise<void> {
    await this.resize(0);
  }

  private startWorker(): Worker {
    const { serviceMs, service } = this.options;
    const worker = new Worker(
      this.options.queueName,
      async (job: Job) => {
        if (this.options.recordWaits && job.processedOn !== undefined) {
          this.waits.push({ addedAt: job.timestamp, waitMs: job.processedOn - job.timestamp });
        }
        const ms = service === 'fixed' ? serviceMs : -Math.log(1 - Math.random()) * serviceMs;
        if (ms >= 1) await new Promise((resolve) => setTimeout(resolve, ms));
      },
      {
        connection: { url: this.options.redisUrl },
        concurrency: this.options.concurrency,
        // Finished jobs are not kept: the bench reads waits from the workers, not from Redis.
        removeOnComplete: { count: 1_000 },
      },
    );
    worker.on('completed', () => (this.completed += 1));
    return worker;
  }
}
