import { mastersOf, type RedisClient } from './redis-topology.js';
import type { QueueDiscovery } from '../../application/ports/queue-discovery.port.js';

/**
 * Finds queues by their `<prefix>:<name>:meta` hash, which BullMQ writes for every queue that has
 * had a job. SCAN walks the keyspace in steps and never blocks Redis the way KEYS does; it runs on
 * a timer in the background, never on a request. On a cluster, every master is walked.
 */
export class ScanQueueDiscovery implements QueueDiscovery {
  constructor(
    private readonly connection: RedisClient,
    private readonly prefix: string,
    private readonly batchSize = 1_000,
  ) {}

  async discover(): Promise<string[]> {
    const pattern = `${escapeGlob(this.prefix)}:*:meta`;
    const head = `${this.prefix}:`;
    const names = new Set<string>();
    for (const server of mastersOf(this.connection)) {
      let cursor = '0';
      do {
        const [next, keys] = await server.scan(
          cursor,
          'MATCH',
          pattern,
          'COUNT',
          this.batchSize,
          'TYPE',
          'hash',
        );
        cursor = next;
        for (const key of keys) {
          const name = key.slice(head.length, -':meta'.length);
          // A name with a colon belongs to a longer prefix (`bull:app:q:meta`), not a queue of ours.
          if (name !== '' && !name.includes(':')) names.add(name);
        }
      } while (cursor !== '0');
    }
    return [...names].sort();
  }
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (char) => `\\${char}`);
}
