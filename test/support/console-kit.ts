import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, QueueEvents, Worker, type Job, type Processor } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfig } from '../../src/bootstrap/config/load-config.js';
import { startQueuewatch, type RunningQueuewatch } from '../../src/bootstrap/queuewatch.js';
import type { RedisServerProcess } from '../../src/demo/redis-server-process.js';
import { RecordingLogger } from './recording-logger.js';
import { waitFor } from './wait-for.js';

/** The tokens of a console test: one per role, and `QUEUEWATCH_API_TOKEN` (the admin). */
export const consoleTokens = {
  viewer: 'viewer-token-0123456789abcdef',
  operator: 'operator-token-0123456789abcdef',
  admin: 'admin-token-0123456789abcdef',
  ops: 'second-admin-token-0123456789ab',
} as const;

/** Who calls: a token of `consoleTokens`, a wrong token, or none. */
export type Holder = keyof typeof consoleTokens | 'bad' | 'none';

/** An HTTP answer: status and JSON body. */
export interface Answer<T = Record<string, unknown>> {
  readonly status: number;
  readonly body: T;
}

/** A Queuewatch under test, with a way to call it as each holder. */
export interface ConsoleApp {
  readonly app: RunningQueuewatch;
  readonly logger: RecordingLogger;
  /** Call the API as `holder`; the body is read as `T` (the test knows what it asked for). */
  readonly call: <T = Record<string, unknown>>(
    holder: Holder,
    method: string,
    path: string,
    body?: unknown,
  ) => Promise<Answer<T>>;
}

/**
 * For a suite: Queuewatch started in this process on the harness's Redis with a token per role
 * (`auth.tokens`: viewer, operator, and `ops` an admin; `QUEUEWATCH_API_TOKEN` the admin `admin`),
 * watching `queues`; queues and workers closed after each test, Redis flushed before it.
 */
export function useConsole(redis: () => RedisServerProcess) {
  const closers: (() => unknown)[] = [];
  let dir = '';
  let admin: Redis | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'qw-console-'));
    admin = new Redis(redis().url);
    await admin.flushall();
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    admin?.disconnect();
    await rm(dir, { recursive: true, force: true });
  });
  return {
    closers,
    redis: () => {
      if (!admin) throw new Error('no Redis connection yet');
      return admin;
    },
    start: async (
      queues: readonly string[],
      env: Record<string, string> = {},
      withTokens = true,
    ): Promise<ConsoleApp> => {
      const configPath = join(dir, `queuewatch-${String(closers.length)}.json`);
      await writeFile(
        configPath,
        JSON.stringify({
          queues: queues.map((name) => ({ name })),
          ...(withTokens
            ? {
                auth: {
                  tokens: [
                    { name: 'viewer', role: 'viewer', tokenEnv: 'QW_TEST_VIEWER_TOKEN' },
                    { name: 'operator', role: 'operator', tokenEnv: 'QW_TEST_OPERATOR_TOKEN' },
                    { name: 'ops', role: 'admin', tokenEnv: 'QW_TEST_OPS_TOKEN' },
                  ],
                },
              }
            : {}),
        }),
      );
      const logger = new RecordingLogger();
      const app = await startQueuewatch(
        await loadConfig({
          REDIS_URL: redis().url,
          PORT: '0',
          QUEUEWATCH_CONFIG: configPath,
          QUEUEWATCH_DISCOVERY_INTERVAL_MS: '0',
          ...(withTokens
            ? {
                QUEUEWATCH_API_TOKEN: consoleTokens.admin,
                QW_TEST_VIEWER_TOKEN: consoleTokens.viewer,
                QW_TEST_OPERATOR_TOKEN: consoleTokens.operator,
                QW_TEST_OPS_TOKEN: consoleTokens.ops,
              }
            : {}),
          ...env,
        }),
        { logger },
      );
      closers.push(() => app.stop());
      return {
        app,
        logger,
        // The body's type is the caller's to say: it knows which operation it called.
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
        call: async <T>(holder: Holder, method: string, path: string, body?: unknown) => {
          const headers: Record<string, string> = {};
          if (holder === 'bad') headers.authorization = 'Bearer not-a-token-0123456789abcdef';
          else if (holder !== 'none') headers.authorization = `Bearer ${consoleTokens[holder]}`;
          if (method !== 'GET') headers['content-type'] = 'application/json';
          const response = await fetch(`${app.url}${path}`, {
            method,
            headers,
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          });
          return { status: response.status, body: (await response.json()) as T };
        },
      };
    },
    /** A queue on the harness's Redis, closed after the test. */
    queue: <T = unknown>(name: string): Queue<T> => {
      const queue = new Queue<T>(name, { connection: { url: redis().url } });
      closers.push(() => queue.close());
      return queue;
    },
    /** A worker, closed (forced) after the test. */
    worker: <T = unknown>(name: string, work: Processor<T>, concurrency = 4): Worker<T> => {
      const worker = new Worker<T>(name, work, {
        connection: { url: redis().url },
        concurrency,
      });
      closers.push(() => worker.close(true));
      return worker;
    },
    /** The queue's events, to wait for a job's end; closed after the test. */
    events: async (name: string): Promise<QueueEvents> => {
      const events = new QueueEvents(name, { connection: { url: redis().url } });
      closers.push(() => events.close());
      await events.waitUntilReady();
      return events;
    },
  };
}

/** Jobs of `queue` that end failed: a worker that throws runs them, then is closed. */
export async function failedJobs<T>(
  queue: Queue<T>,
  redisUrl: string,
  jobs: readonly { name: string; data: T }[],
  reason: (job: Job<T>) => string = () => 'boom',
): Promise<string[]> {
  const added = await (queue as unknown as Queue).addBulk(
    jobs.map((job) => ({ name: job.name, data: job.data })),
  );
  const worker = new Worker<T>(
    queue.name,
    (job) => {
      throw new Error(reason(job));
    },
    { connection: { url: redisUrl }, concurrency: 50 },
  );
  try {
    await waitFor(
      `${String(jobs.length)} failed jobs in ${queue.name}`,
      () => queue.getJobCountByTypes('failed'),
      (count) => count >= jobs.length,
      60_000,
    );
  } finally {
    await worker.close(true);
  }
  return added.map((job) => String(job.id));
}
