import type { RedisClient } from './redis-connection.js';
import type { AuditEntry } from '../../application/contract/console.js';
import type { AuditRecord, AuditTrail } from '../../application/ports/audit-trail.port.js';

/** The stream every instance appends to. */
export const auditStreamKey = 'queuewatch:audit';

/**
 * The audit trail as a Redis stream: one entry per change, its JSON in one field, the stream id
 * as the entry's id. `XADD … MAXLEN ~ maxEntries` keeps it bounded (Redis trims whole nodes, so a
 * few more entries than `maxEntries` may stay).
 */
export class RedisAuditTrail implements AuditTrail {
  constructor(
    private readonly connection: RedisClient,
    private readonly maxEntries: number,
    private readonly key = auditStreamKey,
  ) {}

  async append(record: AuditRecord): Promise<string> {
    const id = await this.connection.xadd(
      this.key,
      'MAXLEN',
      '~',
      String(this.maxEntries),
      '*',
      'entry',
      JSON.stringify(record),
    );
    return String(id);
  }

  async recent(limit: number): Promise<AuditEntry[]> {
    const entries = await this.connection.xrevrange(this.key, '+', '-', 'COUNT', limit);
    return entries.flatMap(([id, fields]) => {
      const at = fields.indexOf('entry');
      const text = at >= 0 ? fields[at + 1] : undefined;
      if (text === undefined) return [];
      try {
        return [{ id, ...(JSON.parse(text) as AuditRecord) }];
      } catch {
        // Written by Queuewatch only; an entry that is not JSON is skipped, not fatal.
        return [];
      }
    });
  }
}
