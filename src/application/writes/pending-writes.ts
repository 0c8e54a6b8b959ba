import type { Clock } from '../ports/clock.port.js';
import type { Logger } from '../ports/logger.port.js';
import type { Timer } from '../ports/timer.port.js';
import { reasonOf } from '../../domain/wording/reason.js';

/** What a write keeps: a dead-letter record, or an alert notification (claim, log, outbox). */
export type WriteKind = 'dead-letter' | 'alert';

/** How retries are paced. */
export interface PendingWritesOptions {
  /** Wait before the first retry (ms); doubled after each failure up to `maxDelayMs`. */
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
}

/** Writes that Redis refused and that are kept in memory until it accepts them. */
export interface PendingWritesStatus {
  readonly deadLetters: number;
  readonly alerts: number;
  /** When the oldest of them was first refused (ms), or `null` when none is pending. */
  readonly since: number | null;
  /** Why the latest try failed. */
  readonly lastError: string | null;
}

/** The writes were abandoned because Queuewatch is stopping. */
export class WritesStoppedError extends Error {
  readonly code = 'QW_WRITES_STOPPED';

  constructor() {
    super('Queuewatch stopped before the write could be done');
    this.name = 'WritesStoppedError';
  }
}

/**
 * Keeps the writes Queuewatch must not lose — dead-letter records and alert notifications —
 * when Redis refuses them (out of memory, timed out, away): each refused write is retried, with
 * a growing pause, until Redis accepts it, and its promise settles only then. Nothing here bounds
 * how many wait: the event reader does, by reading no further while too many events are
 * unfinished (see StreamJobEventSource). `status()` says what waits, for the health report.
 */
export class PendingWrites {
  private readonly waiting: Record<WriteKind, number> = { 'dead-letter': 0, alert: 0 };
  private since: number | null = null;
  private lastError: string | null = null;
  private readonly stopping = new AbortController();

  constructor(
    private readonly clock: Clock,
    private readonly timer: Timer,
    private readonly logger: Logger,
    private readonly options: PendingWritesOptions,
  ) {}

  /**
   * Do `write` now, and again after each failure until it succeeds. Resolves once it succeeded;
   * rejects with WritesStoppedError only when `stop()` came first.
   */
  async keep(kind: WriteKind, write: () => Promise<void>): Promise<void> {
    try {
      await write();
      return;
    } catch (error) {
      this.refused(kind, error);
    }
    this.waiting[kind] += 1;
    try {
      let delay = this.options.firstDelayMs;
      for (;;) {
        try {
          await this.timer.delay(delay, this.stopping.signal);
        } catch {
          throw new WritesStoppedError();
        }
        try {
          await write();
          return;
        } catch (error) {
          this.refused(kind, error);
          delay = Math.min(delay * 2, this.options.maxDelayMs);
        }
      }
    } finally {
      this.waiting[kind] -= 1;
      this.settled();
    }
  }

  status(): PendingWritesStatus {
    return {
      deadLetters: this.waiting['dead-letter'],
      alerts: this.waiting.alert,
      since: this.since,
      lastError: this.lastError,
    };
  }

  /** Writes waiting for a retry. */
  get size(): number {
    return this.waiting['dead-letter'] + this.waiting.alert;
  }

  /** Stop retrying: every waiting write rejects with WritesStoppedError. */
  stop(): void {
    this.stopping.abort();
  }

  private refused(kind: WriteKind, error: unknown): void {
    const reason = reasonOf(error);
    this.lastError = reason;
    if (this.since === null) {
      this.since = this.clock.now();
      this.logger.error(
        'Redis refused a write; keeping it in memory and retrying until it accepts',
        {
          kind,
          reason,
        },
      );
    }
  }

  private settled(): void {
    if (this.size > 0 || this.since === null) return;
    this.logger.info('Redis accepts writes again; every kept write is done', {
      refusedForMs: this.clock.now() - this.since,
    });
    this.since = null;
    this.lastError = null;
  }
}
