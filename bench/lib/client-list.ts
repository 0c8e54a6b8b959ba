import type { Redis } from 'ioredis';

/** The connections Redis has, by name (`(no name)` when a client set none), without `exclude`. */
export async function connectionsByName(
  redis: Redis,
  excludeIds: readonly number[],
): Promise<{ total: number; byName: Record<string, number> }> {
  const list = String(await redis.client('LIST'));
  const byName: Record<string, number> = {};
  let total = 0;
  for (const line of list.split('\n')) {
    const id = / ?id=(\d+)/.exec(line)?.[1];
    if (id === undefined || excludeIds.includes(Number(id))) continue;
    const name = / name=(\S*)/.exec(line)?.[1] ?? '';
    const key = name === '' ? '(no name)' : name;
    byName[key] = (byName[key] ?? 0) + 1;
    total += 1;
  }
  return { total, byName };
}
