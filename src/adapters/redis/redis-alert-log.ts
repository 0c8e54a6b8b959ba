import type { RedisClient } from './redis-connection.js';
import type {
  AlertLog,
  AlertRecord,
  DeliveryStatus,
  Suppression,
} from '../../application/ports/alert-log.port.js';
import type { Alert } from '../../domain/alerting/alert.js';

/** Alerts kept for `GET /api/v1/alerts`; older ones are dropped. */
const keep = 500;

/**
 * Recent alerts in Redis, shared by every instance: a sorted set of notification keys by time,
 * and per notification a hash with the alert and one field per destination's delivery status.
 */
export class RedisAlertLog implements AlertLog {
  private readonly index: string;

  constructor(
    private readonly connection: RedisClient,
    private readonly keyPrefix = 'queuewatch:alerts',
  ) {
    this.index = `${keyPrefix}:index`;
  }

  /** Adding the same key again (a retried notice) keeps the delivery states already recorded. */
  async add(key: string, alert: Alert, destinations: readonly string[], at: number): Promise<void> {
    const updatedAt = new Date(at).toISOString();
    const record = this.recordKey(key);
    const transaction = this.connection.multi().hset(record, 'alert', JSON.stringify(alert));
    for (const destination of destinations) {
      const status: DeliveryStatus = {
        destination,
        state: 'pending',
        attempts: 0,
        lastError: null,
        updatedAt,
      };
      transaction.hsetnx(record, `delivery:${destination}`, JSON.stringify(status));
    }
    const replies = (await transaction.zadd(this.index, at, key).exec()) ?? [];
    const refused = replies.find(([error]) => error !== null)?.[0];
    if (refused) throw refused;
    await this.trim();
  }

  /** An alert held back: recorded once per key, with what held it back. */
  async addSuppressed(
    key: string,
    alert: Alert,
    suppressed: Suppression,
    at: number,
  ): Promise<void> {
    const record = this.recordKey(key);
    const replies =
      (await this.connection
        .multi()
        .hset(record, 'alert', JSON.stringify(alert), 'suppressed', JSON.stringify(suppressed))
        .zadd(this.index, 'NX', at, key)
        .exec()) ?? [];
    const refused = replies.find(([error]) => error !== null)?.[0];
    if (refused) throw refused;
    await this.trim();
  }

  async update(key: string, status: DeliveryStatus): Promise<void> {
    await this.connection.hset(
      this.recordKey(key),
      `delivery:${status.destination}`,
      JSON.stringify(status),
    );
  }

  async recent(limit: number): Promise<AlertRecord[]> {
    const keys = await this.connection.zrevrange(this.index, 0, limit - 1);
    if (keys.length === 0) return [];
    const pipeline = this.connection.pipeline();
    for (const key of keys) pipeline.hgetall(this.recordKey(key));
    const replies = (await pipeline.exec()) ?? [];
    return keys.flatMap((key, index) => {
      const fields = replies[index]?.[1] as Record<string, string> | null | undefined;
      if (!fields?.alert) return [];
      const deliveries = Object.entries(fields)
        .filter(([field]) => field.startsWith('delivery:'))
        .map(([, value]) => JSON.parse(value) as DeliveryStatus)
        .sort((a, b) => a.destination.localeCompare(b.destination));
      const alert = JSON.parse(fields.alert) as Alert;
      return [
        fields.suppressed
          ? { key, alert, deliveries, suppressed: JSON.parse(fields.suppressed) as Suppression }
          : { key, alert, deliveries },
      ];
    });
  }

  private async trim(): Promise<void> {
    const stale = await this.connection.zrange(this.index, 0, String(-(keep + 1)));
    if (stale.length === 0) return;
    await this.connection
      .multi()
      .del(...stale.map((key) => this.recordKey(key)))
      .zrem(this.index, ...stale)
      .exec();
  }

  private recordKey(key: string): string {
    return `${this.keyPrefix}:record:${key}`;
  }
}
