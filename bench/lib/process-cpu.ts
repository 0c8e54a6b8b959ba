import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

/**
 * CPU time a running process has used (utime + stime of /proc/<pid>/stat), in ms, or `null` off
 * Linux or once it has gone. Read from outside, so the process measured runs as users run it,
 * with nothing added to report on itself.
 */
export function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  const fields = statFields(`/proc/${String(pid)}/stat`);
  // Clock ticks are 1/100 s on Linux.
  return fields === null ? null : (Number(fields[11]) + Number(fields[12])) * 10;
}

/** CPU time this process has used itself (its children left out), in ms, or `null` off Linux. */
export function ownCpuMs(): number | null {
  const fields = statFields('/proc/self/stat');
  return fields === null ? null : (Number(fields[11]) + Number(fields[12])) * 10;
}

/** CPU time the whole machine spent on processes since boot (all CPUs), in ms, or `null`. */
export function machineProcessCpuMs(): number | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    // cpu user nice system idle …
    const [, user, nice, system] = line.trim().split(/\s+/).map(Number);
    return ((user ?? 0) + (nice ?? 0) + (system ?? 0)) * 10;
  } catch {
    return null;
  }
}

/** CPU time redis-server has used (all its threads, INFO cpu), in ms. */
export async function redisCpuMs(redis: Redis): Promise<number> {
  const text = await redis.info('cpu');
  const seconds = (name: string): number =>
    Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(text)?.[1] ?? 0);
  return (seconds('used_cpu_sys') + seconds('used_cpu_user')) * 1000;
}

function statFields(path: string): string[] | null {
  try {
    const stat = readFileSync(path, 'utf8');
    // The command name may hold spaces: fields are counted after its closing parenthesis.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}
