import type { Clock } from '../ports/clock.port.js';
import type { HistoryStore } from '../ports/history-store.port.js';
import type { Logger } from '../ports/logger.port.js';
import type { QueuePort } from '../ports/queue.port.js';
import type { Timer } from '../ports/timer.port.js';
import type { MonitoredQueues } from '../queues/monitored-queues.js';

/** What the history keeper works with. */
export interface HistoryKeeperParts {
  readonly store: HistoryStore;
  readonly queues: Pick<MonitoredQueues, 'names'>;
  readonly queuePort: Pick<QueuePort, 'inspect'>;
  readonly timer: Timer;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** Its cadence. */
export interface HistoryKeeperOptions {
  /** Count new events and take readings this often (ms). */
  readonly intervalMs: number;
  /** Count the workers this often (ms): one CLIENT LIST for every queue. */
  readonly workersIntervalMs: number;
  /** Calls per queue per round at most, so one busy queue cannot hold the others up. */
  readonly callsPerRound: number;
}

/**
 * Keeps every watched queue's history: each round, it has the store count the queue's new events
 * and take its readings. Counting is exact across instances (the store keeps the position), so
 * any number of Queuewatch instances may run this at once.
 */
export class HistoryKeeper {
  private cancel: (() => void) | null = null;
  private round: Promise<void> | null = null;
  private workers = new Map<string, number | null>();
  private workersReadAt = Number.NEGATIVE_INFINITY;
  private readonly missedReported = new Set<string>();

  constructor(
    private readonly parts: HistoryKeeperParts,
    private readonly options: HistoryKeeperOptions,
  ) {}

  start(): void {
    if (this.cancel) return;
    this.cancel = this.parts.timer.every(this.options.intervalMs, () => {
      if (this.round) return;
      this.round = this.recordAll().finally(() => {
        this.round = null;
      });
    });
  }

  async stop(): Promise<void> {
    this.cancel?.();
    this.cancel = null;
    await this.round;
  }

  /** One round over every queue (also what the timer runs). Never throws. */
  async recordAll(): Promise<void> {
    const now = this.parts.clock.now();
    const names = this.parts.queues.names();
    await this.readWorkers(names, now);
    await Promise.all(names.map((name) => this.recordQueue(name)));
  }

  private async recordQueue(name: string): Promise<void> {
    try {
      for (let call = 0; call < this.options.callsPerRound; call += 1) {
        const progress = await this.parts.store.record(name, this.workers.get(name) ?? null);
        if (progress.missed && !this.missedReported.has(name)) {
          this.missedReported.add(name);
          this.parts.logger.warn('the history lacks events trimmed from the stream unread', {
            queue: name,
          });
        }
        if (!progress.more) return;
      }
    } catch (error) {
      this.parts.logger.warn('cannot record history; trying again next round', {
        queue: name,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  }

  private async readWorkers(names: readonly string[], now: number): Promise<void> {
    if (now - this.workersReadAt < this.options.workersIntervalMs) return;
    this.workersReadAt = now;
    try {
      const readings = await this.parts.queuePort.inspect(
        names.map((name) => ({
          name,
          depth: 'none',
          finishedSince: now,
          staleStartedBy: now,
          processingTimes: false,
        })),
        { activeJobs: 0, completedJobs: 0 },
      );
      this.workers = new Map(
        readings.map((reading) => [reading.name, reading.ok ? reading.value.workerCount : null]),
      );
    } catch {
      this.workers = new Map();
    }
  }
}
