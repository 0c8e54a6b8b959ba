import { Queue, Worker, type Job } from 'bullmq';
import { isMessage } from '../lib/child.js';
import { preciseNow } from '../lib/stats.js';

/**
 * The load: a BullMQ worker in a process of its own, driven over IPC. `{ type: 'run', jobs,
 * intervalMs, steps }` adds `jobs` jobs (ids job-0 … job-<jobs-1>) and runs them all at once: each
 * reports `steps` progress values, one every `intervalMs` on a fixed schedule (so a late report
 * does not slow the rate down), each stamped with the wall-clock time just before
 * `updateProgress()`, then completes. When every job has completed it answers `{ type: 'ran' }`
 * with what was actually sent. Prints "ready" once connected.
 */
interface RunCommand {
  readonly type: 'run';
  readonly jobs: number;
  readonly intervalMs: number;
  readonly steps: number;
}

interface JobData {
  readonly index: number;
  readonly jobs: number;
  readonly intervalMs: number;
  readonly steps: number;
  readonly startAt: number;
}

const redisUrl = process.env.REDIS_URL ?? '';
const queueName = process.env.BENCH_QUEUE ?? 'bench';
/** Jobs this process can run at once. */
const capacity = Number(process.env.MAX_JOBS ?? 1_000);
/** Time for every job of a run to be picked up before the first report is due. */
const startDelayMs = 300;

let sent = 0;
let firstSentAt = Number.POSITIVE_INFINITY;
let lastSentAt = 0;
let maxLateMs = 0;

const queue = new Queue(queueName, { connection: { url: redisUrl } });
const worker = new Worker(
  queueName,
  async (job: Job<JobData>) => {
    const { index, jobs, intervalMs, steps, startAt } = job.data;
    // Spread the jobs over one interval so the load is even, not in bursts.
    const offset = (index / jobs) * intervalMs;
    for (let step = 1; step <= steps; step += 1) {
      const due = startAt + offset + (step - 1) * intervalMs;
      const wait = due - preciseNow();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const sentAt = preciseNow();
      maxLateMs = Math.max(maxLateMs, sentAt - due);
      await job.updateProgress({ step, sentAt });
      sent += 1;
      firstSentAt = Math.min(firstSentAt, sentAt);
      lastSentAt = Math.max(lastSentAt, sentAt);
    }
    return { steps };
  },
  { connection: { url: redisUrl }, concurrency: capacity },
);

async function run(command: RunCommand): Promise<void> {
  sent = 0;
  firstSentAt = Number.POSITIVE_INFINITY;
  lastSentAt = 0;
  maxLateMs = 0;
  let completed = 0;
  const allCompleted = new Promise<void>((resolve) => {
    const onCompleted = (): void => {
      completed += 1;
      if (completed < command.jobs) return;
      worker.off('completed', onCompleted);
      resolve();
    };
    worker.on('completed', onCompleted);
  });
  const startAt = preciseNow() + startDelayMs;
  await queue.addBulk(
    Array.from({ length: command.jobs }, (_, index) => ({
      name: 'bench',
      data: {
        index,
        jobs: command.jobs,
        intervalMs: command.intervalMs,
        steps: command.steps,
        startAt,
      },
      // Removed once completed, so the next run can reuse the ids (clients stay subscribed).
      opts: { jobId: `job-${String(index)}`, removeOnComplete: true },
    })),
  );
  await allCompleted;
  process.send?.({ type: 'ran', progressSent: sent, firstSentAt, lastSentAt, maxLateMs });
}

process.on('message', (message: unknown) => {
  if (isMessage(message) && message.type === 'run') void run(message as unknown as RunCommand);
});
await worker.waitUntilReady();
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void Promise.all([worker.close(true), queue.close()]).then(() => process.exit(0));
});
