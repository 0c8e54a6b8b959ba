import { Queue, UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';

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
