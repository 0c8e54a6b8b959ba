import type { RedisClient } from './redis-connection.js';
import type { FiringAlerts, FiringEntry } from '../../application/ports/firing-alerts.port.js';
import type { MemberAlert } from '../../domain/alerting/alert.js';

/**
 * The alerts firing now, in one Redis hash shared by every instance: incident → the alert and
 * when it was last taken in as firing.
 */
export class RedisFiringAlerts implements FiringAlerts {
  constructor(
    private readonly connection: RedisClient,
    private readonly key = 'queuewatch:alerts:firing',
  ) {}

  async put(incidentKey: string, alert: MemberAlert, seenAt: number): Promise<void> {
    await this.connection.hset(this.key, incidentKey, JSON.stringify({ alert, seenAt }));
  }

  async remove(incidentKey: string): Promise<void> {
    await this.connection.hdel(this.key, incidentKey);
  }

  async all(): Promise<FiringEntry[]> {
    const entries = await this.connection.hgetall(this.key);
    return Object.entries(entries).map(([incidentKey, raw]) => {
      const { alert, seenAt } = JSON.parse(raw) as { alert: MemberAlert; seenAt: number };
      return { incidentKey, alert, seenAt };
    });
  }
}
