import type { Redis } from 'ioredis';

/** Calls per command since Redis started (INFO commandstats). */
export type CommandCounts = Map<string, number>;

/** Read INFO commandstats: commands run inside Lua scripts count too, as they cost Redis too. */
export async function commandCounts(redis: Redis): Promise<CommandCounts> {
  const text = await redis.info('commandstats');
  const counts: CommandCounts = new Map();
  for (const match of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    counts.set(match[1] ?? '', Number(match[2]));
  }
  return counts;
}

/** The calls made between two readings, minus the INFO call that took the second one. */
export function commandsBetween(before: CommandCounts, after: CommandCounts): CommandCounts {
  const delta: CommandCounts = new Map();
  for (const [name, calls] of after) {
    const made = calls - (before.get(name) ?? 0) - (name === 'info' ? 1 : 0);
    if (made > 0) delta.set(name, made);
  }
  return delta;
}

/** Total calls of a delta. */
export function totalCalls(delta: CommandCounts): number {
  let total = 0;
  for (const calls of delta.values()) total += calls;
  return total;
}

/** The busiest commands of a delta, as "name × calls" (most first). */
export function topCommands(delta: CommandCounts, count: number): string {
  return (
    [...delta]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      // Subcommands are named `client|list` in commandstats: a pipe would split a Markdown cell.
      .map(([name, calls]) => `${name.replaceAll('|', ' ')} ×${String(calls)}`)
      .join(', ')
  );
}
