import type { Redis } from 'ioredis';
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
    const servers = mastersOf(this.connection);
    // A master that does not answer is left out this time (its replica takes over), unless none
    // answers: then discovery fails, and is tried again on the next round.
    const walked = await Promise.allSettled(
      servers.map((server) => this.walk(server, pattern, head, names)),
    );
    const failed = walked.find((outcome) => outcome.status === 'rejected');
    if (failed && walked.every((outcome) => outcome.status === 'rejected')) throw failed.reason;
    return [...names].sort();
  }

  /** Add the queue names one server holds to `names`. */
  private async walk(server: Redis, pattern: string, head: string, names: Set<string>) {
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
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (char) => `\\${char}`);
}
