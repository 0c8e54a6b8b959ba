import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, Worker, type Job } from 'bullmq';
import { loadConfig } from '../../../src/bootstrap/config/load-config.js';
import { startQueuewatch, type RunningQueuewatch } from '../../../src/bootstrap/queuewatch.js';
import { RedisServerProcess } from '../../../src/demo/redis-server-process.js';

/** The queue whose jobs report progress in steps and complete. */
export const labQueue = 'lab-queue';
/** The queue whose jobs always fail, with `failureReason`. */
export const failingQueue = 'failing-queue';
/** What every job of the failing queue dies of. */
export const failureReason = 'card declined by the e2e bank';
/** The alert destination configured for the suite. */
export const destinationName = 'e2e-log';

/** A private Redis, real BullMQ workers, and Queuewatch serving the built dashboard. */
export interface E2eStack {
  readonly url: string;
  readonly redisUrl: string;
  /** Adds a job straight through BullMQ (not through the dashboard). */
  addJob(queueName: string, data: Record<string, unknown>): Promise<string>;
  /** Another Queuewatch on the same Redis, behind an API token; stopped with the stack. */
  startWithToken(token: string): Promise<string>;
  /** Stop the stack's Redis as a crash would (its data is lost); `startRedis` brings it back. */
  stopRedis(): Promise<void>;
  /** Start the stack's Redis again on the same port, empty. */
  startRedis(): Promise<void>;
  /**
   * Another Queuewatch on the same Redis watching the lab queue, with `env` on top of its
   * defaults; answers its URL, and is stopped with the stack.
   */
  startAnother(env: Record<string, string>): Promise<string>;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Reports progress in `steps` steps of `stepMs` (from the job's data), then completes. */
async function stepThrough(
  job: Job<{ steps?: number; stepMs?: number }>,
): Promise<{ steps: number }> {
  const steps = job.data.steps ?? 5;
  const stepMs = job.data.stepMs ?? 400;
  for (let step = 1; step <= steps; step += 1) {
    await sleep(stepMs);
    await job.updateProgress(Math.round((step / steps) * 100));
  }
  return { steps };
}

async function failAfterAStep(job: Job): Promise<never> {
  await job.updateProgress(30);
  throw new Error(failureReason);
}

/** Start everything; `stop()` undoes it in reverse order. */
export async function startE2eStack(): Promise<E2eStack> {
  const stops: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const undo of stops.splice(0).reverse()) await undo().catch(() => undefined);
  };
  try {
    const redis = await RedisServerProcess.launch();
    stops.push(() => redis.dispose());
    const configDir = await mkdtemp(join(tmpdir(), 'qw-e2e-'));
    stops.push(() => rm(configDir, { recursive: true, force: true }));
    const configPath = join(configDir, 'queuewatch.json');
    await writeFile(
      configPath,
      JSON.stringify({
        queues: [
          {
            name: failingQueue,
            priority: 'high',
            failureThreshold: { count: 2, windowMs: 600_000 },
          },
        ],
        alerts: { destinations: [{ name: destinationName, type: 'log' }] },
      }),
    );
    const connection = { url: redis.url };
    const workers = [
      new Worker(labQueue, stepThrough, { connection, concurrency: 4 }),
      new Worker(failingQueue, failAfterAStep, { connection, concurrency: 2 }),
    ];
    // Forced: a graceful close can hang while BullMQ reconnects after `stopRedis`.
    stops.push(() => Promise.all(workers.map((worker) => worker.close(true))));
    const queues = new Map(
      [labQueue, failingQueue].map((name) => [name, new Queue(name, { connection })]),
    );
    // Connection errors while Redis is stopped are expected; BullMQ would print each one.
    for (const worker of workers) worker.on('error', () => undefined);
    for (const queue of queues.values()) queue.on('error', () => undefined);
    stops.push(() => Promise.all([...queues.values()].map((queue) => queue.close())));
    const app: RunningQueuewatch = await startQueuewatch(
      await loadConfig({
        REDIS_URL: redis.url,
        PORT: '0',
        QUEUEWATCH_QUEUES: `${labQueue},${failingQueue}`,
        QUEUEWATCH_CONFIG: configPath,
        LOG_LEVEL: 'silent',
      }),
    );
    stops.push(() => app.stop());
    const startAnother = async (env: Record<string, string>): Promise<string> => {
      const another = await startQueuewatch(
        await loadConfig({
          REDIS_URL: redis.url,
          PORT: '0',
          QUEUEWATCH_QUEUES: labQueue,
          QUEUEWATCH_INSTANCE_ID: `e2e-${String(stops.length)}`,
          LOG_LEVEL: 'silent',
          ...env,
        }),
      );
      stops.push(() => another.stop());
      return another.url;
    };
    return {
      url: app.url,
      redisUrl: redis.url,
      addJob: async (queueName, data) => {
        const queue = queues.get(queueName);
        if (!queue) throw new Error(`no queue ${queueName} in the e2e stack`);
        const job = await queue.add('from-the-test', data);
        return String(job.id);
      },
      startWithToken: (token) =>
        startAnother({ QUEUEWATCH_API_TOKEN: token, QUEUEWATCH_INSTANCE_ID: 'e2e-secured' }),
      startAnother,
      stopRedis: () => redis.stop(),
      startRedis: () => redis.start(),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
