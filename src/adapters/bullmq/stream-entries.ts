import type { FailedJobDetails } from '../../domain/job-events/job-event.js';

/** One entry of a Redis stream: its id and its field/value pairs. */
export type StreamEntry = [id: string, fields: string[]];

/** An XREAD reply: per stream key, its entries. */
export type XReadReply = [key: string, entries: StreamEntry[]][];

/** The ms part of a stream id (`1700000000000-3` → 1700000000000). */
export function msOf(id: string): number {
  return Number(id.split('-', 1)[0]);
}

/** Compare two stream ids numerically: negative when a < b. */
export function compareIds(a: string, b: string): number {
  const [aMs = 0, aSeq = 0] = a.split('-').map(Number);
  const [bMs = 0, bSeq = 0] = b.split('-').map(Number);
  return aMs === bMs ? aSeq - bSeq : aMs - bMs;
}

/** An entry's fields as a map. */
export function fieldsOf(fields: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (let index = 0; index + 1 < fields.length; index += 2) {
    map.set(fields[index] ?? '', fields[index + 1] ?? '');
  }
  return map;
}

/** BullMQ stores progress and return values as JSON text; keep the text when it is not JSON. */
export function parseJsonValue(text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** A reply value as text, or the fallback when it is not a string. */
export function textOr<T>(value: unknown, fallback: T): string | T {
  return typeof value === 'string' ? value : fallback;
}

/** The fields of a job hash that `failedJobDetails` reads. */
export const failedJobFields = ['name', 'stacktrace', 'data'] as const;

/**
 * A failed job's details from its hash fields (in `failedJobFields` order); `null` when the job
 * is gone. BullMQ keeps one stack trace per failed attempt, oldest first: the last one is kept.
 */
export function failedJobDetails(
  name: string | null | undefined,
  stacktrace: string | null | undefined,
  data: string | null | undefined,
): FailedJobDetails | null {
  if ((name ?? null) === null && (data ?? null) === null) return null;
  const stacks = parseJsonValue(stacktrace ?? undefined);
  const latest: unknown = Array.isArray(stacks) ? (stacks as unknown[]).at(-1) : undefined;
  return {
    name: name ?? null,
    stacktrace: typeof latest === 'string' ? latest.split('\n') : [],
    data: data ?? null,
  };
}
