import type { RedisClient } from './redis-connection.js';
import type { SilenceStore } from '../../application/ports/silence-store.port.js';
import type { Silence } from '../../domain/alerting/silence.js';

/** How long an expired silence stays listed. */
const expiredKeptMs = 7 * 24 * 3_600_000;

/**
 * Silences in Redis, shared by every instance and kept across restarts: one hash, silence id →
 * silence. Silences expired longer than a week ago are removed as the list is read.
 */
export class RedisSilenceStore implements SilenceStore {
  constructor(
    private readonly connection: RedisClient,
    private readonly now: () => number,
    private readonly key = 'queuewatch:alerts:silences',
  ) {}

  async put(silence: Silence): Promise<void> {
    await this.connection.hset(this.key, silence.id, JSON.stringify(silence));
  }

  async get(id: string): Promise<Silence | null> {
    const raw = await this.connection.hget(this.key, id);
    return raw === null ? null : (JSON.parse(raw) as Silence);
  }

  async list(): Promise<Silence[]> {
    const entries = await this.connection.hgetall(this.key);
    const cutoff = this.now() - expiredKeptMs;
    const silences = Object.values(entries).map((raw) => JSON.parse(raw) as Silence);
    const old = silences.filter((silence) => silence.endsAt < cutoff).map((silence) => silence.id);
    if (old.length > 0) await this.connection.hdel(this.key, ...old);
    return silences.filter((silence) => silence.endsAt >= cutoff);
  }
}
