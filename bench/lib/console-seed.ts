import { Queue, Worker, type Job } from 'bullmq';

/** How many jobs of each state a queue is seeded with. */
export interface QueueShape {
  readonly completed: number;
  readonly failed: number;
  readonly waiting: number;
  readonly delayed: number;
}

/** The data set of the console scenario. */
export interface SeedPlan {
  readonly scale: 'small' | 'full';
  readonly queues: readonly string[];
  /** The queue holding the many failed jobs the search and retry-all work on. */
  readonly bigQueue: string;
  readonly big: QueueShape;
  /** Each of the other queues. */
  readonly other: QueueShape;
  readonly totalJobs: number;
}

/** What one seeded job carries: what a search looks for. */
export interface SeedJobData {
  readonly index: number;
  readonly customer: string;
  readonly orderId: string;
  readonly amount: number;
  readonly fail: boolean;
}

/** What seeding found and how long it took. */
export interface SeedResult {
  readonly ms: number;
  readonly jobsPerSecond: number;
  /** Ids of the big queue's failed jobs, for job detail and search by id. */
  readonly bigFailedIds: readonly string[];
  /** What BullMQ counts in the big queue and in one other queue once seeded. */
  readonly counts: Readonly<Record<string, Record<string, number>>>;
}

/**
 * Full: 100 queues, 1,000,000 jobs, one queue with 100,000 failed jobs (and 10,000 completed),
 * the 99 others 80 % completed, 10 % failed, 8 % waiting, 2 % delayed. Small: the same shape on
 * 10 queues and 20,000 jobs, the big queue with 10,000 failed.
 */
export function seedPlan(scale: 'small' | 'full'): SeedPlan {
  const queueCount = scale === 'full' ? 100 : 10;
  const total = scale === 'full' ? 1_000_000 : 20_000;
  const big: QueueShape =
    scale === 'full'
      ? { completed: 10_000, failed: 100_000, waiting: 0, delayed: 0 }
      : { completed: 1_000, failed: 10_000, waiting: 0, delayed: 0 };
  const perOther = Math.round((total - sum(big)) / (queueCount - 1));
  const failed = Math.round(perOther * 0.1);
  const waiting = Math.round(perOther * 0.08);
  const delayed = Math.round(perOther * 0.02);
  const other = { completed: perOther - failed - waiting - delayed, failed, waiting, delayed };
  const queues = Array.from(
    { length: queueCount },
    (_, index) => `console-${String(index).padStart(3, '0')}`,
  );
  return {
    scale,
    queues,
    bigQueue: queues[0] ?? 'console-000',
    big,
    other,
    totalJobs: sum(big) + sum(other) * (queueCount - 1),
  };
}

/** The order id of job `index` of a queue: what a data search looks for. */
export function orderIdOf(index: number): string {
  return `order-${String(index).padStart(7, '0')}`;
}

const batchSize = 1_000;
/** Queues seeded at once (each with a worker of its own while its jobs finish). */
const queuesAtOnce = 10;
/** A delayed job stays delayed for the whole run. */
const delayMs = 6 * 3_600_000;

/**
 * Seed through BullMQ itself: `addBulk` in batches of 1,000, real workers finishing the jobs
 * meant to be completed or failed (a job whose data says `fail` throws, `attempts: 1`), then the
 * waiting and delayed jobs added once every worker is gone. Every job is what BullMQ itself wrote.
 */
export async function seed(
  redisUrl: string,
  plan: SeedPlan,
  log: (line: string) => void,
): Promise<SeedResult> {
  const started = performance.now();
  const connection = { url: redisUrl };
  let bigFailedIds: string[] = [];
  const pending = [...plan.queues];
  let finished = 0;
  const seedNext = async (): Promise<void> => {
    for (let name = pending.shift(); name !== undefined; name = pending.shift()) {
      const shape = name === plan.bigQueue ? plan.big : plan.other;
      const ids = await seedQueue(connection, name, shape);
      if (name === plan.bigQueue) bigFailedIds = ids;
      finished += 1;
      if (finished % 10 === 0 || name === plan.bigQueue)
        log(`  seeded ${name}: ${String(finished)} of ${String(plan.queues.length)} queues done`);
    }
  };
  await Promise.all(Array.from({ length: queuesAtOnce }, seedNext));
  const ms = performance.now() - started;
  const counts: Record<string, Record<string, number>> = {};
  for (const name of [plan.bigQueue, plan.queues[1] ?? plan.bigQueue]) {
    const queue = new Queue(name, { connection });
    counts[name] = await queue.getJobCounts('completed', 'failed', 'waiting', 'delayed', 'active');
    await queue.close();
  }
  return {
    ms,
    jobsPerSecond: Math.round(plan.totalJobs / (ms / 1000)),
    bigFailedIds,
    counts,
  };
}

/** Whether BullMQ counts what the plan asked for. */
export function checkCounts(plan: SeedPlan, result: SeedResult): string | null {
  for (const [name, counts] of Object.entries(result.counts)) {
    const shape = name === plan.bigQueue ? plan.big : plan.other;
    const expected = { ...shape, active: 0 };
    const wrong = Object.entries(expected).filter(([state, count]) => counts[state] !== count);
    if (wrong.length > 0)
      return `${name}: BullMQ counts ${JSON.stringify(counts)}, expected ${JSON.stringify(expected)}`;
  }
  return null;
}

/** One queue: the finished jobs through a worker, then the waiting and delayed. Failed ids. */
async function seedQueue(
  connection: { url: string },
  name: string,
  shape: QueueShape,
): Promise<string[]> {
  const queue = new Queue<SeedJobData>(name, { connection });
  const failedIds: string[] = [];
  try {
    const finishing = shape.completed + shape.failed;
    // Failed jobs spread evenly among the completed ones, as they come in real queues.
    const failsBefore = (at: number): number => Math.floor((at * shape.failed) / finishing);
    const worker = finishing === 0 ? null : startFailingWorker(name, connection);
    let index = 0;
    try {
      for (let from = 0; from < finishing; from += batchSize) {
        const batch = Array.from({ length: Math.min(batchSize, finishing - from) }, () => {
          const fail = failsBefore(index + 1) > failsBefore(index);
          return job(index++, fail, {});
        });
        const jobs = await queue.addBulk(batch);
        jobs.forEach((added, at) => {
          if (batch[at]?.data.fail === true && added.id !== undefined) failedIds.push(added.id);
        });
      }
      await waitForFinished(queue, shape);
    } finally {
      await worker?.close();
    }
    for (let left = shape.waiting; left > 0; left -= batchSize)
      await queue.addBulk(
        Array.from({ length: Math.min(batchSize, left) }, () => job(index++, false, {})),
      );
    for (let left = shape.delayed; left > 0; left -= batchSize)
      await queue.addBulk(
        Array.from({ length: Math.min(batchSize, left) }, () =>
          job(index++, false, { delay: delayMs }),
        ),
      );
  } finally {
    await queue.close();
  }
  return failedIds;
}

function job(
  index: number,
  fail: boolean,
  opts: { delay?: number },
): { name: string; data: SeedJobData; opts: { attempts: number; delay?: number } } {
  return {
    name: index % 3 === 0 ? 'send-invoice' : 'charge-card',
    data: {
      index,
      customer: `customer-${String(index % 1_000)}`,
      orderId: orderIdOf(index),
      amount: (index * 7919) % 100_000,
      fail,
    },
    opts: { attempts: 1, ...opts },
  };
}

/** A worker that completes a job, or fails it when its data says so. */
export function startFailingWorker(name: string, connection: { url: string }): Worker {
  const worker = new Worker<SeedJobData>(
    name,
    (job: Job<SeedJobData>) => {
      if (job.data.fail) throw new Error(`card declined for ${job.data.customer}`);
      return Promise.resolve({ charged: job.data.amount });
    },
    { connection, concurrency: 200 },
  );
  // A failing job is what the data set is made of, not an error of the bench.
  worker.on('error', () => undefined);
  return worker;
}

/** Until BullMQ counts every finished job of the shape (ten minutes at most per queue). */
async function waitForFinished(queue: Queue, shape: QueueShape): Promise<void> {
  const deadline = performance.now() + 600_000;
  for (;;) {
    const counts = await queue.getJobCounts('completed', 'failed');
    const completed = counts.completed ?? 0;
    const failed = counts.failed ?? 0;
    if (completed === shape.completed && failed === shape.failed) return;
    if (completed + failed >= shape.completed + shape.failed || performance.now() > deadline)
      throw new Error(`${queue.name}: jobs finished as ${JSON.stringify(counts)}, not as planned`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function sum(shape: QueueShape): number {
  return shape.completed + shape.failed + shape.waiting + shape.delayed;
}
