import type { AuditEntry } from '../../src/application/contract/console.js';
import { ConsoleCommands } from '../../src/application/console/console-commands.js';
import type { AuditRecord, AuditTrail } from '../../src/application/ports/audit-trail.port.js';
import { FixedClock } from './fixed-clock.js';
import { RecordingLogger } from './recording-logger.js';

/** The audit trail in memory, newest last; ids count up from 1. */
export class InMemoryAuditTrail implements AuditTrail {
  readonly entries: AuditEntry[] = [];

  append(record: AuditRecord): Promise<string> {
    const id = String(this.entries.length + 1);
    this.entries.push({ id, ...record });
    return Promise.resolve(id);
  }

  recent(limit: number): Promise<AuditEntry[]> {
    return Promise.resolve(this.entries.slice(-limit).reverse());
  }
}

/** Console commands over an in-memory trail, for tests of routes that change things. */
export function inMemoryCommands(readOnly = false): ConsoleCommands {
  return new ConsoleCommands(
    new InMemoryAuditTrail(),
    new FixedClock(Date.now()),
    new RecordingLogger(),
    readOnly,
  );
}
