import type { Worker } from 'bullmq';
import { Cluster } from 'ioredis';

/**
 * Stop a worker taking jobs and let the ones under way finish, for at most `timeoutMs` (a Redis
 * that is away could keep them waiting), then close it; what was cut short runs again elsewhere.
 * A cluster client made for the worker alone when it started (BullMQ never closes a client it
 * is given) is disconnected with it, whatever happens.
 */
export async function closeWorker(worker: Worker, timeoutMs: number): Promise<void> {
  let cut: NodeJS.Timeout | undefined;
  const timedOut = new Promise<void>((resolve) => {
    cut = setTimeout(resolve, timeoutMs);
  });
  await Promise.race([worker.pause().catch(() => undefined), timedOut]);
  clearTimeout(cut);
  try {
    await worker.close(true);
  } finally {
    const { connection } = worker.opts;
    if (connection instanceof Cluster) connection.disconnect();
  }
}
