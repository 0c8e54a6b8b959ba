import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { startChild } from '../lib/child.js';
import { commandCounts, commandsBetween, totalCalls } from '../lib/command-stats.js';
import { Arrivals, WorkerPool } from '../lib/job-load.js';
import { machineProcessCpuMs, ownCpuMs, processCpuMs, redisCpuMs } from '../lib/process-cpu.js';
import { writeQueuewatchConfig } from '../lib/queuewatch-config-file.js';
import { profileArgs, type RunOptions, type ScenarioReport } from '../lib/scenario.js';
import { historyOverheadMarkdown } from './history-overhead-report.js';

/** Queuewatch as users run it (history on by default), or with history turned off. */
export type HistoryMode = 'history' | 'no-history';

const configOf: Record<HistoryMode, object> = {
  history: {},
  'no-history': { history: { enabled: false } },
};

/** One measuring window of one Queuewatch process. */
export interface OverheadWindow {
  readonly mode: HistoryMode;
  readonly round: number;
  readonly seconds: number;
  /** Queuewatch's CPU (/proc/<pid>/stat), % of one core. */
  readonly queuewatchCpuPercent: number | null;
  /** redis-server's CPU (INFO cpu), % of one core. */
  readonly redisCpuPercent: number;
  /** The bench itself (producers and workers), % of one core. */
  readonly benchCpuPercent: number | null;
  /** Every other process on the machine, % of one core. */
  readonly otherCpuPercent: number | null;
  /** Entries added to the queues' event streams per second (XADD calls). */
  readonly eventsPerSecond: number;
  readonly jobsPerSecond: number;
  /** Every Redis command per second, those run inside scripts included (INFO commandstats). */
  readonly commandsPerSecond: number;
  /** Per command, calls per second. */
  readonly perCommand: Record<string, number>;
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
    const pid = child.process.pid;
    // What the window is measured by, read the same way at its start and at its end.
    const reading = async () => ({
      at: performance.now(),
      queuewatch: processCpuMs(pid),
      redis: await redisCpuMs(admin),
      own: ownCpuMs(),
      machine: machineProcessCpuMs(),
      commands: await commandCounts(admin),
      completed: how.completed(),
    });
    const before = await reading();
    await new Promise((resolve) => setTimeout(resolve, how.windowMs));
    const after = await reading();
    const seconds = (after.at - before.at) / 1000;
    const percent = (ms: number): number => Math.round((ms / 10 / seconds) * 10) / 10;
    const perSecond = (calls: number): number => Math.round((calls / seconds) * 10) / 10;
    const delta = commandsBetween(before.commands, after.commands);
    const spent = (from: number | null, to: number | null): number | null =>
      from === null || to === null ? null : to - from;
    const queuewatch = spent(before.queuewatch, after.queuewatch);
    const own = spent(before.own, after.own);
    const machine = spent(before.machine, after.machine);
    const redis = after.redis - before.redis;
    const other =
      machine === null || own === null || queuewatch === null
        ? null
        : Math.max(0, machine - own - queuewatch - redis);
    return {
      mode: how.mode,
      round: how.round,
      seconds: Math.round(seconds * 10) / 10,
      queuewatchCpuPercent: queuewatch === null ? null : percent(queuewatch),
      redisCpuPercent: percent(redis),
      benchCpuPercent: own === null ? null : percent(own),
      otherCpuPercent: other === null ? null : percent(other),
      eventsPerSecond: perSecond(delta.get('xadd') ?? 0),
      jobsPerSecond: perSecond(after.completed - before.completed),
      commandsPerSecond: perSecond(totalCalls(delta)),
      perCommand: Object.fromEntries(
        [...delta].map(([name, calls]) => [name, perSecond(calls)] as const),
      ),
    };
  } finally {
    await child.stop();
  }
}
