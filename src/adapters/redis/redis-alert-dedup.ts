import type { RedisClient } from './redis-connection.js';
import type { AlertDedup, Claim } from '../../application/ports/alert-dedup.port.js';

/** Claims in Redis with SET NX PX: the first instance to ask holds the key until it expires. */
export class RedisAlertDedup implements AlertDedup {
  constructor(
    private readonly connection: RedisClient,
    private readonly keyPrefix = 'queuewatch:alert-claim:',
  ) {}

  async claim(key: string, value: string, ttlMs: number): Promise<Claim> {
    const fullKey = this.keyPrefix + key;
    const reply = await this.connection.set(
      fullKey,
      value,
      'PX',
      Math.max(1, Math.round(ttlMs)),
      'NX',
    );
    if (reply === 'OK') return { claimed: true };
    return { claimed: false, holder: await this.connection.get(fullKey) };
  }

  async release(key: string): Promise<void> {
    await this.connection.del(this.keyPrefix + key);
  }
}
