import { fieldsOf, type XReadReply } from './stream-entries.js';
import type { PendingEvent, StreamEventParser } from './stream-event-parser.js';

/** One XREAD reply, parsed: its events, and what it says about each queue read. */
export interface ReadBatch {
  readonly pending: PendingEvent[];
  /** Queues with entries that may change what a health check reads (any event but progress). */
  readonly active: string[];
  /** Per queue, the id of the last entry read. */
  readonly lastReadIds: Map<string, string>;
  /** Queues whose whole batch was full: the reader is behind on them. */
  readonly behind: string[];
}

/** Parse an XREAD reply, stream by stream, in order. `queueOf` names a stream key's queue. */
export function readBatch(
  reply: XReadReply,
  parser: StreamEventParser,
  queueOf: (streamKey: string) => string | null,
  batchSize: number,
): ReadBatch {
  const batch: ReadBatch = { pending: [], active: [], lastReadIds: new Map(), behind: [] };
  for (const [key, entries] of reply) {
    const name = queueOf(key);
    if (name === null) continue;
    let changed = false;
    for (const [id, fields] of entries) {
      const map = fieldsOf(fields);
      // Progress moves no job between states: it changes nothing a health check reads.
      if (map.get('event') !== 'progress') changed = true;
      const event = parser.parse(name, id, map);
      if (event) batch.pending.push(event);
    }
    if (changed) batch.active.push(name);
    const last = entries.at(-1);
    if (last) batch.lastReadIds.set(name, last[0]);
    if (entries.length >= batchSize) batch.behind.push(name);
  }
  return batch;
}
