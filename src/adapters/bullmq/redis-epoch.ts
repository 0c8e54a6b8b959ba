import { randomUUID } from 'node:crypto';
import type { RedisClient } from './redis-topology.js';

/**
 * Tells when Redis lost its data — restarted without persistence, or flushed — by a key Queuewatch
 * keeps there: a random value set once and read again now and then. Gone, or replaced by another
 * instance after it found it gone, means everything written before is gone too.
 */
export class RedisEpoch {
  /** The value last seen; `missing` after a loss was reported and before a new one was set. */
  private known: string | undefined;

  constructor(private readonly key = 'queuewatch:epoch') {}

  /** Read the key (setting it when absent); true when Redis lost its data since the last check. */
  async check(connection: RedisClient): Promise<boolean> {
    const current = await connection.get(this.key);
    if (current !== null && current === this.known) return false;
    const lost = this.known !== undefined && this.known !== 'missing';
    if (current !== null) {
      this.known = current;
      return lost;
    }
    if (lost) this.known = 'missing';
    const fresh = randomUUID();
    const reply = await connection.set(this.key, fresh, 'NX');
    this.known = reply === 'OK' ? fresh : ((await connection.get(this.key)) ?? this.known);
    return lost;
  }
}
