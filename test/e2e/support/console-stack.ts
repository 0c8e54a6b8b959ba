import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, Worker, type Job } from 'bullmq';
import type { E2eStack } from './e2e-stack.js';

/** The queue of the console's e2e test. */
export const consoleQueue = 'console-queue';
/** What a job of the console queue dies of on its first run. */
export const firstRunFailure = 'ledger locked on the first run';

/** The tokens of the console's Queuewatch, one per role. */
export const consoleTokens = {
  admin: 'e2e-console-admin-0123456789',
  operator: 'e2e-console-operator-0123456789',
  viewer: 'e2e-console-viewer-0123456789',
} as const;

/** A Queuewatch with a token per role watching the console queue, and a worker for it. */
export interface ConsoleStack {
  readonly url: string;
  readonly queue: Queue;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Each job writes two log lines and fails on its first run (with a stack trace); run again (a
 * retry), it writes a third line, reports progress in steps slow enough to be watched, and completes.
 */
function worker(redisUrl: string): Worker {
  const ranOnce = new Set<string>();
  return new Worker(
    consoleQueue,
    async (job: Job) => {
      const id = String(job.id);
      await job.log(`charging ${JSON.stringify(job.data)}`);
      if (!ranOnce.has(id)) {
        ranOnce.add(id);
        await job.log('the ledger is locked');
        throw new Error(firstRunFailure);
      }
      await job.log('ledger free, charged');
      for (const percent of [25, 50, 75, 100]) {
        await sleep(300);
        await job.updateProgress(percent);
      }
      return { charged: true };
    },
    { connection: { url: redisUrl } },
  );
}

/** Start the console's Queuewatch beside the e2e stack (stopped with it, or by `stop`). */
export async function startConsoleStack(stack: E2eStack): Promise<ConsoleStack> {
  const dir = await mkdtemp(join(tmpdir(), 'qw-console-'));
  const configPath = join(dir, 'queuewatch.json');
  await writeFile(
    configPath,
    JSON.stringify({
      auth: {
        tokens: [
          { name: 'e2e-operator', role: 'operator', tokenEnv: 'QW_E2E_OPERATOR_TOKEN' },
          { name: 'e2e-viewer', role: 'viewer', tokenEnv: 'QW_E2E_VIEWER_TOKEN' },
        ],
      },
    }),
  );
  const queue = new Queue(consoleQueue, { connection: { url: stack.redisUrl } });
  const running = worker(stack.redisUrl);
  const url = await stack.startAnother({
    QUEUEWATCH_QUEUES: consoleQueue,
    QUEUEWATCH_CONFIG: configPath,
    QUEUEWATCH_INSTANCE_ID: 'e2e-console',
    QUEUEWATCH_API_TOKEN: consoleTokens.admin,
    QW_E2E_OPERATOR_TOKEN: consoleTokens.operator,
    QW_E2E_VIEWER_TOKEN: consoleTokens.viewer,
  });
  return {
    url,
    queue,
    stop: async () => {
      await running.close(true);
      await queue.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
