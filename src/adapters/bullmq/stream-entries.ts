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
