import { Queue, Worker, type Job } from 'bullmq';
import { preciseNow } from '../lib/stats.js';

/**
 * The load: a BullMQ worker in a process of its own. On SIGUSR2 it adds JOBS jobs and runs them
 * all at once; each reports STEPS progress values, one every INTERVAL_MS, each stamped with the
 * wall-clock time just before `updateProgress()`, then completes. Prints "ready" once connected.
 */
const redisUrl = process.env.REDIS_URL ?? '';
const queueName = process.env.BENCH_QUEUE ?? 'bench';
const jobs = Number(process.env.JOBS ?? 100);
const steps = Number(process.env.STEPS ?? 100);
const intervalMs = Number(process.env.INTERVAL_MS ?? 100);

const queue = new Queue(queueName, { connection: { url: redisUrl } });
const worker = new Worker(
  queueName,
  async (job: Job<{ index: number }>) => {
    // Spread the jobs over one interval so the load is even, not in bursts.
    const offset = (job.data.index / jobs) * intervalMs;
    await new Promise((resolve) => setTimeout(resolve, offset));
    for (let step = 1; step <= steps; step += 1) {
      await job.updateProgress({ step, sentAt: preciseNow() });
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
    return { steps };
  },
  { connection: { url: redisUrl }, concurrency: jobs },
);
await worker.waitUntilReady();
process.stdout.write('ready\n');
process.on('SIGUSR2', () => {
  void queue.addBulk(
    Array.from({ length: jobs }, (_, index) => ({
      name: 'bench',
      data: { index },
      opts: { jobId: `job-${String(index)}`, removeOnComplete: true },
    })),
  );
});
process.on('SIGTERM', () => {
  void Promise.all([worker.close(true), queue.close()]).then(() => process.exit(0));
});
