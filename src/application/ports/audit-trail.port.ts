import type { AuditEntry } from '../contract/console.js';

/** An audit entry before the trail has named it. */
export type AuditRecord = Omit<AuditEntry, 'id'>;

/** The audit trail of console changes, shared by every instance, bounded in length. */
export interface AuditTrail {
  /** Append an entry; resolves with the id the trail gave it. */
  append(record: AuditRecord): Promise<string>;
  /** The latest entries, newest first. */
  recent(limit: number): Promise<AuditEntry[]>;
}
