import type { Redis } from 'ioredis';
import type { JobFields, PendingEvent } from './stream-event-parser.js';

/** Read the job-hash fields some events need, in one pipeline for the whole batch. */
export async function lookUpJobFields(
  connection: Redis,
  jobKey: (queueName: string, jobId: string) => string,
  pending: readonly PendingEvent[],
): Promise<(JobFields | undefined)[]> {
  const needed = pending.filter((event) => event.lookup !== null);
  if (needed.length === 0) return [];
  const pipeline = connection.pipeline();
  for (const event of needed) {
    pipeline.hmget(jobKey(event.queueName, event.jobId), ...(event.lookup ?? []));
  }
  const replies = (await pipeline.exec()) ?? [];
  let next = 0;
  return pending.map((event) => {
    if (event.lookup === null) return undefined;
    const [error, values] = replies[next++] ?? [null, null];
    if (error || !Array.isArray(values)) return undefined;
    const fields: JobFields = new Map();
    event.lookup.forEach((field, index) => {
      const value: unknown = values[index];
      fields.set(field, typeof value === 'string' ? value : null);
    });
    return fields;
  });
}

/**
 * For each event, the failed attempts of the same job read after it in the same batch. The job
 * hash is read after the whole batch: an attempt counter read then may already include those
 * failures, so they are taken off again.
 */
export function laterFailureCounts(pending: readonly PendingEvent[]): number[] {
  const later = new Array<number>(pending.length).fill(0);
  const seen = new Map<string, number>();
  for (let index = pending.length - 1; index >= 0; index -= 1) {
    const event = pending[index];
    if (!event) continue;
    const key = `${event.queueName}:${event.jobId}`;
    later[index] = seen.get(key) ?? 0;
    if (event.failure) seen.set(key, (later[index] ?? 0) + 1);
  }
  return later;
}
