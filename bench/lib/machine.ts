import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

/** The machine the figures came from. */
export function describeMachine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'cpu';
  return `${String(cpus().length)} × ${cpu}, ${String(Math.round(totalmem() / 2 ** 30))} GiB, Node ${process.version}`;
}

/**
 * The Queuewatch measured: the commit, and whether src/ had uncommitted changes (the product
 * moves while the bench runs; a figure means little without the code it came from).
 */
export function describeRevision(): string {
  const cwd = new URL('../../', import.meta.url);
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8' });
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], {
      cwd,
      encoding: 'utf8',
    });
    return `${commit.trim()}${dirty.trim() === '' ? '' : ' with uncommitted changes in src/'}`;
  } catch {
    return 'unknown revision';
  }
}

/** How busy the machine was while a scenario ran, and how much of it was someone else. */
export interface Disturbance {
  readonly wallMs: number;
  /** CPU of the bench and every process it started (and has reaped), % of one core. */
  readonly benchCpuPercent: number | null;
  /** CPU of every other process on the machine, % of one core. */
  readonly otherCpuPercent: number | null;
  /**
   * Interrupt time (mostly the loopback traffic of the bench itself) and time the hypervisor
   * gave to other virtual machines, % of one core: counted apart, as no process owns them.
   */
  readonly interruptCpuPercent: number | null;
  readonly stealCpuPercent: number | null;
  readonly loadAverageBefore: number;
  /** Others used less than 10 % of one core: the figures were not disturbed much. */
  readonly quiet: boolean | null;
}

/**
 * Start measuring the machine's CPU (Linux /proc/stat) and the bench's own (its CPU plus that of
 * the children it has waited for, /proc/self/stat). Call the returned function once every
 * process the scenario started has exited: the difference is what other people ran meanwhile.
 * To measure while children still run, name them in `livePids` (the same before and after: a
 * child that exits meanwhile is counted with the bench once reaped).
 */
export function startDisturbanceMeter(livePids: readonly number[] = []): () => Disturbance {
  const loadAverageBefore = Math.round((loadavg()[0] ?? 0) * 100) / 100;
  const started = performance.now();
  const machineBefore = machineTicks();
  const benchBefore = benchTicks(livePids);
  return (): Disturbance => {
    const wallMs = performance.now() - started;
    const machineAfter = machineTicks();
    const benchAfter = benchTicks(livePids);
    if (
      machineBefore === null ||
      machineAfter === null ||
      benchBefore === null ||
      benchAfter === null
    ) {
      return {
        wallMs,
        benchCpuPercent: null,
        otherCpuPercent: null,
        interruptCpuPercent: null,
        stealCpuPercent: null,
        loadAverageBefore,
        quiet: null,
      };
    }
    // Clock ticks are 1/100 s on Linux: ticks / (wall s × 100) × 100 % = ticks / wall s.
    const percent = (ticks: number): number => Math.round((ticks / (wallMs / 1000)) * 10) / 10;
    const bench = percent(benchAfter - benchBefore);
    const other = Math.max(0, percent(machineAfter.processes - machineBefore.processes) - bench);
    const steal = percent(machineAfter.steal - machineBefore.steal);
    return {
      wallMs,
      benchCpuPercent: bench,
      otherCpuPercent: other,
      interruptCpuPercent: percent(machineAfter.interrupts - machineBefore.interrupts),
      stealCpuPercent: steal,
      loadAverageBefore,
      // An idle machine shows 2-3 % here (system daemons).
      quiet: other < 10 && steal < 5,
    };
  };
}

/**
 * CPU time the whole machine spent busy since boot (processes and interrupts, all CPUs), in
 * clock ticks (1/100 s), or `null` off Linux: the difference between two readings ÷ the seconds
 * between them is the machine's load in % of one core.
 */
export function machineBusyTicks(): number | null {
  const ticks = machineTicks();
  return ticks === null ? null : ticks.processes + ticks.interrupts;
}

/** Clock ticks of all CPUs since boot, by kind, or `null` off Linux. */
function machineTicks(): { processes: number; interrupts: number; steal: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    // cpu user nice system idle iowait irq softirq steal …
    const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
    return {
      processes: (user ?? 0) + (nice ?? 0) + (system ?? 0),
      interrupts: (irq ?? 0) + (softirq ?? 0),
      steal: steal ?? 0,
    };
  } catch {
    return null;
  }
}

/**
 * utime + stime + cutime + cstime of this process and of `livePids`, in clock ticks, or `null`
 * off Linux. A live child that has gone counts nothing (its time is in this process's cutime).
 */
function benchTicks(livePids: readonly number[] = []): number | null {
  const ticksOf = (pid: number | 'self'): number | null => {
    try {
      const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
      // The command name may hold spaces: fields are counted after its closing parenthesis.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return [11, 12, 13, 14].reduce((sum, index) => sum + Number(fields[index] ?? 0), 0);
    } catch {
      return null;
    }
  };
  const self = ticksOf('self');
  if (self === null) return null;
  return livePids.reduce((sum, pid) => sum + (ticksOf(pid) ?? 0), self);
}
