import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { startChild } from '../lib/child.js';
import { Arrivals, WorkerPool } from '../lib/job-load.js';
import { writeQueuewatchConfig } from '../lib/queuewatch-config-file.js';
import { profileArgs, type RunOptions, type ScenarioReport } from '../lib/scenario.js';
import { measureUsage, type UsageWindow } from '../lib/usage-window.js';
import { historyOverheadMarkdown } from './history-overhead-report.js';

/** Queuewatch as users run it (history on by default), or with history turned off. */
export type HistoryMode = 'history' | 'no-history';

const configOf: Record<HistoryMode, object> = {
  history: {},
  'no-history': { history: { enabled: false } },
};

/** One measuring window of one Queuewatch process. */
export interface OverheadWindow extends Omit<UsageWindow, 'processCpuPercent'> {
  readonly mode: HistoryMode;
  readonly round: number;
  /** Queuewatch's CPU (/proc/<pid>/stat), % of one core. */
  readonly queuewatchCpuPercent: number | null;
}

export interface OverheadData {
  readonly queues: number;
  readonly jobsPerSecondAsked: number;
  readonly windows: OverheadWindow[];
}

const queueCount = 4;
/**
 * A job writes ~4.7 stream events here (added, waiting, active, completed, and the workers'
 * drained when they empty a queue): 215 jobs/s make ~1,000 events/s.
 */
const jobsPerSecond = 215;

/**
 * Queuewatch's cost of keeping history at ~1,000 job events/s: real BullMQ producers and workers
 * on 4 queues run throughout, while Queuewatch runs in turns with history (the default) and with
 * `{"history":{"enabled":false}}` in its config file, one process at a time, so every Redis
 * command beyond the workers' own is that process's. Each turn starts a fresh Queuewatch, lets
 * it warm up, then measures its CPU from /proc/<pid>/stat, Redis's CPU and INFO commandstats.
 * Turns alternate (history first, then off, off, on, …), so a drift of the machine's load
 * weighs on both alike.
 */
export async function historyOverhead(
  redisUrl: string,
  options: RunOptions,
): Promise<ScenarioReport<OverheadData>> {
  const rounds = options.quick ? 2 : 3;
  const warmUpMs = options.quick ? 5_000 : 15_000;
  const windowMs = options.quick ? 15_000 : 60_000;
  const names = Array.from({ length: queueCount }, (_, index) => `history-${String(index)}`);
  const configs: Record<HistoryMode, string> = {
    history: await writeQueuewatchConfig('history', configOf.history),
    'no-history': await writeQueuewatchConfig('no-history', configOf['no-history']),
  };
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
  const windows: OverheadWindow[] = [];
  try {
    await Promise.all(pools.map((pool) => pool.resize(1)));
    for (const arrival of arrivals) arrival.setRate(jobsPerSecond / queueCount);
    for (let round = 1; round <= rounds; round += 1) {
      const order: HistoryMode[] =
        round % 2 === 1 ? ['history', 'no-history'] : ['no-history', 'history'];
      for (const mode of order) {
        options.log(`history overhead: round ${String(round)}, ${mode}…`);
        const window = await measureWindow(redisUrl, admin, names, configs[mode], {
          mode,
          round,
          warmUpMs,
          windowMs,
          completed: () => pools.reduce((sum, pool) => sum + pool.completed, 0),
          profileDir: options.profileDir,
        });
        windows.push(window);
        options.log(
          `  Queuewatch CPU ${String(window.queuewatchCpuPercent)} %, ${String(window.eventsPerSecond)} events/s, evalsha ${String(window.perCommand.evalsha ?? 0)}/s, others ${String(window.otherCpuPercent)} %`,
        );
      }
    }
  } finally {
    await Promise.all(arrivals.map((arrival) => arrival.stop()));
    await Promise.all(pools.map((pool) => pool.close()));
    await Promise.all(queues.map((queue) => queue.close()));
    admin.disconnect();
  }
  const data = { queues: queueCount, jobsPerSecondAsked: jobsPerSecond, windows };
  return {
    data,
    markdown: historyOverheadMarkdown(data, { warmUpMs, windowMs, quick: options.quick }),
  };
}

async function measureWindow(
  redisUrl: string,
  admin: Redis,
  names: readonly string[],
  configPath: string,
  how: {
    readonly mode: HistoryMode;
    readonly round: number;
    readonly warmUpMs: number;
    readonly windowMs: number;
    readonly completed: () => number;
    readonly profileDir: string | null;
  },
): Promise<OverheadWindow> {
  const child = startChild(
    'queuewatch-server',
    { REDIS_URL: redisUrl, QUEUEWATCH_QUEUES: names.join(','), QUEUEWATCH_CONFIG: configPath },
    /listening (http:\/\/\S+)\n/,
    { ipc: true, nodeArgs: profileArgs(how.profileDir, `history-overhead-${how.mode}`) },
  );
  try {
    await child.ready;
    await new Promise((resolve) => setTimeout(resolve, how.warmUpMs));
    const { processCpuPercent, ...usage } = await measureUsage(
      admin,
      [child.process.pid],
      how.windowMs,
      how.completed,
    );
    return {
      mode: how.mode,
      round: how.round,
      queuewatchCpuPercent: processCpuPercent[0] ?? null,
      ...usage,
    };
  } finally {
    await child.stop();
  }
}
