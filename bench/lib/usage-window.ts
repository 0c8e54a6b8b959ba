import type { Redis } from 'ioredis';
import { commandCounts, commandsBetween, totalCalls } from './command-stats.js';
import { machineProcessCpuMs, ownCpuMs, processCpuMs, redisCpuMs } from './process-cpu.js';

/** What a window of load cost the measured processes, Redis, the bench and everyone else. */
export interface UsageWindow {
  readonly seconds: number;
  /** Each measured process's CPU (/proc/<pid>/stat), % of one core, in the order given. */
  readonly processCpuPercent: (number | null)[];
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

/**
 * Measure `windowMs` of whatever runs: the CPU of the processes `pids`, Redis's CPU and commands,
 * the bench's own CPU and the rest of the machine's, each read the same way at the start and the
 * end of the window; `completed` counts the jobs done so far.
 */
export async function measureUsage(
  admin: Redis,
  pids: readonly (number | undefined)[],
  windowMs: number,
  completed: () => number,
): Promise<UsageWindow> {
  const reading = async () => ({
    at: performance.now(),
    processes: pids.map((pid) => processCpuMs(pid)),
    redis: await redisCpuMs(admin),
    own: ownCpuMs(),
    machine: machineProcessCpuMs(),
    commands: await commandCounts(admin),
    completed: completed(),
  });
  const before = await reading();
  await new Promise((resolve) => setTimeout(resolve, windowMs));
  const after = await reading();
  const seconds = (after.at - before.at) / 1000;
  const percent = (ms: number): number => Math.round((ms / 10 / seconds) * 10) / 10;
  const perSecond = (calls: number): number => Math.round((calls / seconds) * 10) / 10;
  const delta = commandsBetween(before.commands, after.commands);
  const spent = (from: number | null | undefined, to: number | null | undefined): number | null =>
    from === null || from === undefined || to === null || to === undefined ? null : to - from;
  const processes = pids.map((_, index) => spent(before.processes[index], after.processes[index]));
  const own = spent(before.own, after.own);
  const machine = spent(before.machine, after.machine);
  const redis = after.redis - before.redis;
  const known = processes.filter((value): value is number => value !== null);
  const measured =
    known.length === processes.length ? known.reduce((sum, value) => sum + value, 0) : null;
  const other =
    machine === null || own === null || measured === null
      ? null
      : Math.max(0, machine - own - measured - redis);
  return {
    seconds: Math.round(seconds * 10) / 10,
    processCpuPercent: processes.map((value) => (value === null ? null : percent(value))),
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
}
