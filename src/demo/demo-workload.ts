import { Queue, Worker, type Job } from 'bullmq';
import { burst, demoQueues, type DemoQueue } from './demo-queues.js';

/** The demo's producers and workers; `stop()` ends them all. */
export interface DemoWorkload {
  stop(): Promise<void>;
}

/** The job id of the README's live-progress example. */
export const showcaseJobId = 'similarity-ABC123';

const keepFinished = {
  removeOnComplete: { count: 1_000, age: 3_600 },
  removeOnFail: { count: 2_000, age: 24 * 3_600 },
};

/** Start adding and processing jobs on the demo's four queues. */
export function startDemoWorkload(redisUrl: string, log: (line: string) => void): DemoWorkload {
  const connection = { url: redisUrl };
  const queues: Queue[] = [];
  const workers: Worker[] = [];
  const timers: NodeJS.Timeout[] = [];
  let burstingQueue: string | null = null;

  for (const spec of demoQueues) {
    const queue = new Queue(spec.name, { connection });
    queue.on('error', () => undefined);
    queues.push(queue);
    const worker = new Worker(spec.name, (job: Job) => runDemoJob(job, spec, () => burstingQueue), {
      connection,
      concurrency: spec.concurrency,
    });
    worker.on('error', () => undefined);
    workers.push(worker);

    let sequence = 0;
    const addNext = (): void => {
      sequence += 1;
      queue
        .add(
          `${spec.name.split('-')[0] ?? 'job'}-${String(sequence)}`,
          { sequence, requestedAt: Date.now() },
          {
            ...keepFinished,
            attempts: Math.random() < 0.2 ? 2 : 1,
            backoff: { type: 'fixed', delay: 1_000 },
          },
        )
        .catch(() => undefined);
      timers.push(setTimeout(addNext, spec.addEveryMs * (0.5 + Math.random())));
    };
    addNext();
  }

  // The README's example subscribes to `similarity-ABC123`: run that job again and again.
  const similarity = queues.find((queue) => queue.name === 'similarity-operations');
  const rerunShowcase = async (): Promise<void> => {
    if (!similarity) return;
    const previous = await similarity.getJob(showcaseJobId);
    if (previous) {
      const state = await previous.getState();
      if (state !== 'completed' && state !== 'failed') return;
      await previous.remove();
    }
    await similarity.add(
      'similarity-showcase',
      { showcase: true },
      { ...keepFinished, jobId: showcaseJobId },
    );
  };
  const showcaseTimer = setInterval(() => {
    rerunShowcase().catch(() => undefined);
  }, 15_000);
  rerunShowcase().catch(() => undefined);

  const burstTimer = setInterval(() => {
    const target = demoQueues[Math.floor(Math.random() * demoQueues.length)];
    if (!target) return;
    burstingQueue = target.name;
    log(`demo: ${target.name} starts failing more for ${String(burst.lastsMs / 1_000)} s`);
    timers.push(
      setTimeout(() => {
        burstingQueue = null;
      }, burst.lastsMs),
    );
  }, burst.everyMs);

  return {
    stop: async () => {
      clearInterval(burstTimer);
      clearInterval(showcaseTimer);
      for (const timer of timers) clearTimeout(timer);
      // Forced: waiting for in-flight demo jobs would only delay Ctrl-C.
      await Promise.allSettled(workers.map((worker) => worker.close(true)));
      await Promise.allSettled(queues.map((queue) => queue.close()));
    },
  };
}

async function runDemoJob(
  job: Job,
  spec: DemoQueue,
  bursting: () => string | null,
): Promise<{ ok: true }> {
  const [shortest, longest] = spec.durationMs;
  const total = shortest + Math.random() * (longest - shortest);
  const failureRate = bursting() === spec.name ? burst.failureRate : spec.failureRate;
  const failAtStep = Math.random() < failureRate ? 1 + Math.floor(Math.random() * spec.steps) : -1;
  for (let step = 1; step <= spec.steps; step += 1) {
    await new Promise((resolve) => setTimeout(resolve, total / spec.steps));
    if (step === failAtStep) throw new Error(failureReason(spec.name));
    await job.updateProgress(Math.round((step / spec.steps) * 100));
  }
  return { ok: true };
}

const reasons = [
  'Upstream API timed out after 30000 ms',
  'Rate limited by provider (HTTP 429)',
  'Invalid payload: missing field "walletAddress"',
  'Connection reset by peer',
];

function failureReason(queue: string): string {
  return `${queue}: ${reasons[Math.floor(Math.random() * reasons.length)] ?? 'failed'}`;
}
