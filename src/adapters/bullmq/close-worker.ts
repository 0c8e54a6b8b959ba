import type { Worker } from 'bullmq';

/**
 * Stop a worker taking jobs and let the ones under way finish, for at most `timeoutMs` (a Redis
 * that is away could keep them waiting), then close it; what was cut short runs again elsewhere.
 */
export async function closeWorker(worker: Worker, timeoutMs: number): Promise<void> {
  let cut: NodeJS.Timeout | undefined;
  const timedOut = new Promise<void>((resolve) => {
    cut = setTimeout(resolve, timeoutMs);
  });
  await Promise.race([worker.pause().catch(() => undefined), timedOut]);
  clearTimeout(cut);
  await worker.close(true);
}
