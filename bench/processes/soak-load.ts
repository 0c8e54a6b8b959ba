import { Queue, Worker, type Job } from 'bullmq';
import { isMessage } from '../lib/child.js';
import type { FailedAttempts } from '../lib/dead-letter-check.js';
import { failShareAt, type FailureSchedule } from '../lib/failure-schedule.js';

/**
 * The soak's load: a producer adding jobs on a fixed schedule and a BullMQ worker running them,
 * in a process of their own. Each attempt takes a few ms and fails with the share the failure
 * schedule gives at that moment; a job has `attempts` tries, retried at once. Driven over IPC:
 * `start` (rate, attempts, schedule); `stats` (what was added, finished and failed so far, and
 * this process's CPU); `stop` (stop adding, wait until every added job has finished); `sentinel`
 * (add one job that completes, answer once it has); `ledger` (every failed attempt the worker saw:
 * job id → attempt numbers). Prints "ready" once the worker is connected.
 */
interface StartCommand {
  readonly ratePerSecond: number;
  readonly attempts: number;
  readonly schedule: FailureSchedule;
}

const redisUrl = process.env.REDIS_URL ?? '';
const queueName = process.env.SOAK_QUEUE ?? 'soak';
const concurrency = Number(process.env.SOAK_CONCURRENCY ?? 50);
/** The job added last, once every other job has finished: clients that saw it saw the rest. */
const sentinelJobId = process.env.SOAK_SENTINEL ?? 'soak-sentinel';
/** How often the producer tops up to the rate's schedule (ms). */
const produceEveryMs = 50;
/** The longest a `stop` waits for the backlog to drain (ms). */
const drainLimitMs = 180_000;

const connection = { url: redisUrl };
const queue = new Queue(queueName, { connection });
let schedule: FailureSchedule | null = null;
let startedAt = 0;
let added = 0;
let completed = 0;
let failedAttempts = 0;
let finalFailures = 0;
let stalled = 0;
let errors = 0;
let producer: NodeJS.Timeout | undefined;
let sentinelCompleted: (() => void) | null = null;
const ledger = new Map<string, number[]>();

const worker = new Worker(
  queueName,
  async (job: Job) => {
    if (job.id === sentinelJobId) return 'sentinel';
    await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 8));
    const share = schedule === null ? 0 : failShareAt(schedule, performance.now() - startedAt);
    if (Math.random() < share) throw new Error('soak: this attempt fails on purpose');
    return undefined;
  },
  { connection, concurrency },
);
worker.on('completed', (job) => {
  if (job.id === sentinelJobId) sentinelCompleted?.();
  else completed += 1;
});
// Emitted once per failed attempt, after BullMQ counted it: attemptsMade is this attempt's number.
worker.on('failed', (job) => {
  failedAttempts += 1;
  if (!job?.id) return;
  const attempts = ledger.get(job.id) ?? [];
  attempts.push(job.attemptsMade);
  ledger.set(job.id, attempts);
  if (job.attemptsMade >= (job.opts.attempts ?? 1)) finalFailures += 1;
});
worker.on('stalled', () => (stalled += 1));
worker.on('error', (error) => {
  errors += 1;
  if (errors === 1) process.stderr.write(`soak-load: worker error: ${error.message}\n`);
});

function start(command: StartCommand): void {
  schedule = command.schedule;
  startedAt = performance.now();
  let adding = false;
  producer = setInterval(() => {
    // One addBulk at a time: when Redis is slow the next tick catches up with the schedule.
    if (adding) return;
    const due = Math.floor(((performance.now() - startedAt) / 1000) * command.ratePerSecond);
    const count = due - added;
    if (count <= 0) return;
    adding = true;
    added += count;
    void queue
      .addBulk(
        Array.from({ length: count }, () => ({
          name: 'soak',
          data: {},
          opts: {
            attempts: command.attempts,
            removeOnComplete: { age: 60 },
            removeOnFail: { age: 60 },
          },
        })),
      )
      .catch((error: unknown) => {
        added -= count;
        errors += 1;
        process.stderr.write(`soak-load: addBulk failed: ${String(error)}\n`);
      })
      .finally(() => (adding = false));
  }, produceEveryMs);
}

function stats(): Record<string, unknown> {
  const usage = process.cpuUsage();
  return {
    added,
    completed,
    failedAttempts,
    finalFailures,
    stalled,
    errors,
    cpuMs: (usage.user + usage.system) / 1000,
    atMs: performance.now(),
  };
}

async function stop(): Promise<void> {
  clearInterval(producer);
  const deadline = performance.now() + drainLimitMs;
  while (completed + finalFailures < added && performance.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 100));
  process.send?.({ type: 'stopped', drained: completed + finalFailures >= added, ...stats() });
}

async function runSentinel(): Promise<void> {
  const done = new Promise<void>((resolve) => (sentinelCompleted = resolve));
  await queue.add('sentinel', {}, { jobId: sentinelJobId });
  await done;
  process.send?.({ type: 'sentinel-done' });
}

process.on('message', (message: unknown) => {
  if (!isMessage(message)) return;
  switch (message.type) {
    case 'start':
      start(message as unknown as StartCommand);
      return;
    case 'stats':
      process.send?.({ type: 'stats', ...stats() });
      return;
    case 'stop':
      void stop();
      return;
    case 'sentinel':
      void runSentinel();
      return;
    case 'ledger': {
      const entries: FailedAttempts = [...ledger];
      process.send?.({ type: 'ledger', entries });
      return;
    }
    default:
      return;
  }
});

await worker.waitUntilReady();
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  clearInterval(producer);
  void Promise.all([worker.close(true), queue.close()]).then(() => process.exit(0));
});
