import type { RedisClient } from './redis-topology.js';
import type { SchedulerRecord } from '../../application/ports/job-browser.port.js';
import { numberOr } from './job-fields.js';

/**
 * A queue's job schedulers (and legacy repeatable jobs) from BullMQ's keys, soonest first: the
 * `repeat` sorted set (id → next run), then, in one pipeline, each one's hash (`repeat:<id>`)
 * and whether the job it added last (`repeat:<id>:<next>`, the one waiting for its run) is there.
 * Read only: BullMQ's own `getJobSchedulers` deletes what it cannot read.
 */
export async function readSchedulers(
  connection: RedisClient,
  queueKey: string,
  limit: number,
): Promise<SchedulerRecord[]> {
  const repeatKey = `${queueKey}:repeat`;
  const listed = await connection.zrange(repeatKey, '0', String(limit - 1), 'WITHSCORES');
  const entries: { id: string; next: number | null }[] = [];
  for (let index = 0; index + 1 < listed.length; index += 2) {
    entries.push({ id: listed[index] ?? '', next: numberOr(listed[index + 1], null) });
  }
  if (entries.length === 0) return [];
  const pipeline = connection.pipeline();
  for (const { id, next } of entries) {
    pipeline.hmget(`${repeatKey}:${id}`, 'name', 'pattern', 'every', 'tz', 'ic');
    pipeline.exists(`${queueKey}:repeat:${id}:${String(next)}`);
  }
  const replies = (await pipeline.exec()) ?? [];
  return entries.map(({ id, next }, index): SchedulerRecord => {
    const [fieldsError, fields] = replies[index * 2] ?? [null, null];
    const [existsError, exists] = replies[index * 2 + 1] ?? [null, 0];
    if (fieldsError) throw fieldsError;
    if (existsError) throw existsError;
    const [name, pattern, every, tz, iterations] = (fields ?? []) as (string | null)[];
    const lastJobId = exists === 1 ? `repeat:${id}:${String(next)}` : null;
    if ((name ?? null) === null && (pattern ?? null) === null && (every ?? null) === null) {
      return { ...legacyScheduler(id), next, lastJobId };
    }
    return {
      id,
      name: name ?? null,
      pattern: pattern ?? null,
      every: numberOr(every, null),
      timezone: tz ?? null,
      next,
      iterations: numberOr(iterations, null),
      lastJobId,
    };
  });
}

/**
 * A legacy repeatable job keeps its settings in its key, `name:jobId:endDate:tz:pattern` (or
 * every ms in place of the pattern); the name may hold colons, so the fields are read from the end.
 */
function legacyScheduler(id: string): Omit<SchedulerRecord, 'next' | 'lastJobId'> {
  const parts = id.split(':');
  if (parts.length < 5) {
    return {
      id,
      name: null,
      pattern: null,
      every: null,
      timezone: null,
      iterations: null,
    };
  }
  const last = parts.at(-1) ?? '';
  const tz = parts.at(-2) ?? '';
  const every = /^[0-9]+$/.test(last) ? Number(last) : null;
  return {
    id,
    name: parts.slice(0, -4).join(':') || null,
    pattern: every === null && last !== '' ? last : null,
    every,
    timezone: tz === '' ? null : tz,
    iterations: null,
  };
}
