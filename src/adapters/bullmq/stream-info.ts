import type { RedisClient } from './redis-topology.js';
import { compareIds, textOr } from './stream-entries.js';

/** What XINFO STREAM says of a stream, as far as gap detection needs. */
export interface StreamInfo {
  readonly length: number;
  readonly lastGeneratedId: string;
  /** Entries ever added (Redis 7+; the length on older servers). */
  readonly entriesAdded: number;
  readonly firstId: string | null;
}

/** XINFO STREAM of each key: `null` when the stream does not exist, `'error'` on failure. */
export async function readStreamInfos(
  connection: RedisClient,
  keys: readonly string[],
): Promise<(StreamInfo | null | 'error')[]> {
  if (keys.length === 0) return [];
  const pipeline = connection.pipeline();
  for (const key of keys) pipeline.xinfo('STREAM', key);
  const replies = (await pipeline.exec()) ?? [];
  return keys.map((_, index) => {
    const [error, reply] = replies[index] ?? [new Error('no reply'), null];
    if (error) return /no such key/i.test(error.message) ? null : 'error';
    if (!Array.isArray(reply)) return 'error';
    const fields = new Map<string, unknown>();
    for (let at = 0; at + 1 < reply.length; at += 2) fields.set(String(reply[at]), reply[at + 1]);
    const firstEntry = fields.get('first-entry');
    return {
      length: Number(fields.get('length') ?? 0),
      lastGeneratedId: textOr(fields.get('last-generated-id'), '0-0'),
      entriesAdded: Number(fields.get('entries-added') ?? fields.get('length') ?? 0),
      firstId: Array.isArray(firstEntry) ? textOr(firstEntry[0], null) : null,
    };
  });
}

/**
 * Were entries after `lastReadId` trimmed away? Trimming removes the oldest entries first, so the
 * last entry read still being in the stream proves nothing was lost; a stream that starts after
 * it has lost at least that entry's successors (a stream keeps ~10,000 entries: being that far
 * behind is a real loss). With nothing read yet, any entry ever removed was lost.
 */
export function eventsLost(info: StreamInfo, lastReadId: string): boolean {
  if (lastReadId === '0-0') return info.entriesAdded > info.length;
  if (info.firstId === null) return compareIds(info.lastGeneratedId, lastReadId) > 0;
  return compareIds(info.firstId, lastReadId) > 0;
}
