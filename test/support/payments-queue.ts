import { Queue, UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { waitFor } from './wait-for.js';

/** Fails jobs named `bad` for good (reason `payment <id> declined`), completes the others. */
function work(job: Job): Promise<string> {
  return job.name === 'bad'
    ? Promise.reject(new UnrecoverableError(`payment ${String(job.id)} declined`))
    : Promise.resolve('ok');
}

/**
 * A `payments` queue (or one of another name) with a real worker that fails every `bad` job; what
 * to close is pushed on `closers` (the worker forced: a graceful close can hang while BullMQ
 * reconnects). `redis` is a URL, or BullMQ's connection options (TLS, Sentinels) or client (a
 * cluster).
 */
export function paymentsQueue(
  redis: string | ConnectionOptions,
  closers: (() => unknown)[],
  name = 'payments',
  prefix = 'bull',
): Queue {
  const connection = typeof redis === 'string' ? { url: redis } : redis;
  const queue = new Queue(name, { connection, prefix });
  const worker = new Worker(name, work, { connection, prefix, concurrency: 5 });
  closers.push(
    () => queue.close(),
    () => worker.close(true),
  );
  return queue;
}

/**
 * Add a `bad` job under each id, one after the other, each sent again until Redis takes it (for
 * at most 30 s): right after a failover or a resharding, the producer's client may still be
 * finding the new master.
 */
export async function addFailingJobs(
  queue: Queue,
  jobIds: readonly string[],
  where: string,
): Promise<void> {
  for (const jobId of jobIds) {
    await waitFor(
      `${jobId} to be added on ${where}`,
      () => queue.add('bad', {}, { jobId }),
      () => true,
      30_000,
    );
  }
}
