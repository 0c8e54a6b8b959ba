import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { startChild, type Child } from '../lib/child.js';
import { Arrivals, WorkerPool } from '../lib/job-load.js';
import type { RunOptions, ScenarioReport } from '../lib/scenario.js';
import { measureUsage, type UsageWindow } from '../lib/usage-window.js';
import { scaleOutMarkdown } from './scale-out-report.js';

/** One measuring window with a number of Queuewatch instances on the same Redis. */
export interface ScaleWindow extends Omit<UsageWindow, 'processCpuPercent'> {
  readonly instances: number;
  /** Each instance's CPU (/proc/<pid>/stat), % of one core. */
  readonly instanceCpuPercent: (number | null)[];
}

export interface ScaleOutData {
  readonly queues: number;
  readonly jobsPerSecondAsked: number;
  readonly windows: ScaleWindow[];
}

const queueCount = 8;
/** About 4.7 stream events a job: 400 jobs/s make ~1,900 events/s. */
const jobsPerSecond = 400;

/**
 * What each Queuewatch instance costs, and what it costs Redis, as instances are added: real
 * BullMQ producers and workers on 8 queues run throughout, while 0 (the workload alone), 1, 2
 * and 3 Queuewatch processes watch them. Every instance reads every event (reading a stream does
 * not consume it), so the figures say what one more instance adds. Windows run in the order
 * 0, 1, 2, 3, 3, 2, 1, 0 (a drift of the machine weighs on every count alike); each starts its
 * instances afresh, lets them warm up, then measures their CPU from /proc/<pid>/stat, Redis's CPU
 * and INFO commandstats.
 */
export async function scaleOut(
  redisUrl: string,
  options: RunOptions,
): Promise<ScenarioReport<ScaleOutData>> {
  const warmUpMs = options.quick ? 5_000 : 15_000;
  const windowMs = options.quick ? 10_000 : 30_000;
  const counts = options.quick ? [0, 1, 2, 3] : [0, 1, 2, 3, 3, 2, 1, 0];
  const names = Array.from({ length: queueCount }, (_, index) => `scale-${String(index)}`);
  const admin = new Redis(redisUrl);
  const queues = names.map((name) => new Queue(name, { connection: { url: redisUrl } }));
  const arrivals = queues.map((queue) => new Arrivals(queue, 'even'));
  const pools = names.map(
    (queueName) =>
      new WorkerPool({
        redisUrl,
        queueName,
        concurrency: 20,
        serviceMs: 5,
        service: 'fixed',
        recordWaits: false,
      }),
  );
  const windows: ScaleWindow[] = [];
  try {
    await Promise.all(pools.map((pool) => pool.resize(1)));
    for (const arrival of arrivals) arrival.setRate(jobsPerSecond / queueCount);
    for (const instances of counts) {
      options.log(`scale-out: ${String(instances)} instance(s)…`);
      const window = await measureWindow(redisUrl, admin, names, instances, {
        warmUpMs,
        windowMs,
        completed: () => pools.reduce((sum, pool) => sum + pool.completed, 0),
      });
      windows.push(window);
      options.log(
        `  CPU ${window.instanceCpuPercent.join(' / ')} %, Redis ${String(window.redisCpuPercent)} %, ${String(window.commandsPerSecond)} commands/s, ${String(window.eventsPerSecond)} events/s, others ${String(window.otherCpuPercent)} %`,
      );
    }
  } finally {
    await Promise.all(arrivals.map((arrival) => arrival.stop()));
    await Promise.all(pools.map((pool) => pool.close()));
    await Promise.all(queues.map((queue) => queue.close()));
    admin.disconnect();
  }
  const data = { queues: queueCount, jobsPerSecondAsked: jobsPerSecond, windows };
  return { data, markdown: scaleOutMarkdown(data, { warmUpMs, windowMs }) };
}

async function measureWindow(
  redisUrl: string,
  admin: Redis,
  names: readonly string[],
  instances: number,
  how: {
    readonly warmUpMs: number;
    readonly windowMs: number;
    readonly completed: () => number;
  },
): Promise<ScaleWindow> {
  const children: Child[] = Array.from({ length: instances }, (_, index) =>
    startChild(
      'queuewatch-server',
      {
        REDIS_URL: redisUrl,
        QUEUEWATCH_QUEUES: names.join(','),
        QUEUEWATCH_INSTANCE_ID: `scale-${String(index)}`,
      },
      /listening (http:\/\/\S+)\n/,
      { ipc: true },
    ),
  );
  try {
    await Promise.all(children.map((child) => child.ready));
    await new Promise((resolve) => setTimeout(resolve, how.warmUpMs));
    const pids = children.map((child) => child.process.pid);
    const { processCpuPercent, ...usage } = await measureUsage(
      admin,
      pids,
      how.windowMs,
      how.completed,
    );
    return { instances, instanceCpuPercent: processCpuPercent, ...usage };
  } finally {
    await Promise.all(children.map((child) => child.stop()));
  }
}
