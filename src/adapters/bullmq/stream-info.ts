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

/** Streams read per script call: Redis serves others between two calls. */
const streamsPerCall = 100;

/**
 * XINFO STREAM of many streams in one call. KEYS: the streams. Returns one entry per stream: `0`
 * when it does not exist, `{'error', message}` when it cannot be read (a key of another type), or
 * `{length, last-generated-id, entries-added, first entry's id or ''}`; `entries-added` is Redis 7's,
 * the length before. A missing stream is common (a queue that never had an event, or thousands of
 * idle tenants): asked one by one, each would come back as an error reply, and the client makes
 * an Error object, stack trace included, for every one of them.
 */
const streamInfoScript = `
local infos = {}
for index, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 0 then
    infos[index] = 0
  else
    local ok, reply = pcall(redis.call, 'XINFO', 'STREAM', key)
    if not ok then
      -- redis.call raises its error reply as a table with an err field.
      infos[index] = { 'error', type(reply) == 'table' and tostring(reply.err) or tostring(reply) }
    else
      local fields = {}
      for at = 1, #reply - 1, 2 do fields[reply[at]] = reply[at + 1] end
      local first = fields['first-entry']
      infos[index] = {
        fields['length'],
        fields['last-generated-id'],
        fields['entries-added'] or fields['length'],
        type(first) == 'table' and first[1] or '',
      }
    end
  end
end
return infos
`;

/** The script command `defineCommand` adds to the connection and its pipelines. */
interface WithStreamInfo {
  queuewatchStreamInfo(keyCount: number, ...keys: string[]): unknown;
}

/**
 * XINFO STREAM of each key: `null` when the stream does not exist, `'error'` on failure. One
 * script call per 100 streams, all sent in one pipeline.
 */
export async function readStreamInfos(
  connection: RedisClient,
  keys: readonly string[],
): Promise<(StreamInfo | null | 'error')[]> {
  if (keys.length === 0) return [];
  // Defined on a connection's first use; its pipelines have it from then on.
  if (!('queuewatchStreamInfo' in connection)) {
    connection.defineCommand('queuewatchStreamInfo', { lua: streamInfoScript });
  }
  const pipeline = connection.pipeline();
  for (let first = 0; first < keys.length; first += streamsPerCall) {
    const slice = keys.slice(first, first + streamsPerCall);
    (pipeline as unknown as WithStreamInfo).queuewatchStreamInfo(slice.length, ...slice);
  }
  const replies = (await pipeline.exec()) ?? [];
  const infos: (StreamInfo | null | 'error')[] = [];
  for (let first = 0, call = 0; first < keys.length; first += streamsPerCall, call += 1) {
    const count = Math.min(streamsPerCall, keys.length - first);
    const [error, reply] = replies[call] ?? [new Error('no reply'), null];
    const entries = !error && Array.isArray(reply) && reply.length === count ? reply : null;
    for (let index = 0; index < count; index += 1) {
      infos.push(entries === null ? 'error' : streamInfoOf(entries[index]));
    }
  }
  return infos;
}

/** One stream's entry in the script's reply. */
function streamInfoOf(entry: unknown): StreamInfo | null | 'error' {
  if (entry === 0) return null;
  // `{'error', message}`, or anything else that is not a stream's four fields.
  if (!Array.isArray(entry) || entry.length !== 4) return 'error';
  const [length, lastGeneratedId, entriesAdded, firstId] = entry as unknown[];
  return {
    length: Number(length ?? 0),
    lastGeneratedId: textOr(lastGeneratedId, '0-0'),
    entriesAdded: Number(entriesAdded ?? length ?? 0),
    firstId: firstId === '' ? null : textOr(firstId, null),
  };
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
