import { dueAgain, phaseOf } from '../../domain/cadence/spread-refresh.js';
import type { Clock } from '../ports/clock.port.js';
import type { HistoryProgress, HistoryStore } from '../ports/history-store.port.js';
import type { Logger } from '../ports/logger.port.js';
import type { QueuePort } from '../ports/queue.port.js';
import type { Timer } from '../ports/timer.port.js';
import type { MonitoredQueues } from '../queues/monitored-queues.js';
import type { ActivityMark, QueueActivity } from '../health/queue-activity.js';

/** Queues looked at between two turns of the event loop. */
const namesPerTurn = 1_000;

/** What the history keeper works with. */
export interface HistoryKeeperParts {
  readonly store: HistoryStore;
  readonly queues: Pick<MonitoredQueues, 'names'>;
  readonly queuePort: Pick<QueuePort, 'inspect'>;
  readonly timer: Timer;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Which queues had job events; without it every queue is recorded every round. */
  readonly activity?: Pick<QueueActivity, 'mark' | 'changedSince'>;
}

/** Its cadence. */
export interface HistoryKeeperOptions {
  /** Count new events and take readings this often (ms). */
  readonly intervalMs: number;
  /** Count the workers this often (ms): one CLIENT LIST for every queue. */
  readonly workersIntervalMs: number;
  /** Calls per queue per round at most, so one busy queue cannot hold the others up. */
  readonly callsPerRound: number;
  /**
   * A queue with no job event since it was last recorded is recorded again once in every this
   * many ms, at a moment of its own (ms; 0: every round): it has no new events to count, and its
   * readings (backlog, active, workers) stay fresh within it. With 10 s, 100 quiet queues fall
   * due ten a second, recorded in one script call, not a hundred queues a second.
   */
  readonly quietRefreshMs: number;
}

/** When a queue was last recorded in full, and the activity mark taken before. */
interface Recorded {
  readonly at: number;
  readonly mark: ActivityMark;
  /** The queue's moment in `quietRefreshMs` (phaseOf its name), kept so it is hashed once. */
  readonly phase: number;
}

/**
 * Queues recorded by one store call (one script call): one command to build and one reply to
 * read for all of them, where a call per queue had ioredis build a command, a promise and a timer
 * for each (at 10,000 queues, a thousand quiet queues fall due every second).
 */
const recordsAtOnce = 50;

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
  /** Queues whose last round ended with nothing left to count. */
  private readonly recorded = new Map<string, Recorded>();

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
    const watched = new Set(names);
    for (const name of this.recorded.keys()) if (!watched.has(name)) this.recorded.delete(name);
    // With thousands of queues, live events get their turn between slices of the look-up.
    const due: string[] = [];
    for (const [index, name] of names.entries()) {
      if (index > 0 && index % namesPerTurn === 0) await this.parts.timer.nextTurn();
      if (this.due(name, now)) due.push(name);
    }
    for (let first = 0; first < due.length; first += recordsAtOnce) {
      await this.recordQueues(due.slice(first, first + recordsAtOnce), now);
    }
  }

  /**
   * A queue is recorded when it had events, has more to count, or its moment in
   * `quietRefreshMs` came round since it was last recorded (so quiet queues are spread over
   * the period, and none is older than it).
   */
  private due(name: string, now: number): boolean {
    const last = this.recorded.get(name);
    const activity = this.parts.activity;
    if (!last || !activity) return true;
    if (activity.changedSince(name, last.mark)) return true;
    return dueAgain(last.phase, this.options.quietRefreshMs, last.at, now);
  }

  /**
   * Record these queues, calling again for those with more to count, up to `callsPerRound`
   * calls; the readings are taken by the first call alone, so a busy queue's are written once a
   * round. A queue that fails, or still has more, is recorded again next round.
   */
  private async recordQueues(names: readonly string[], now: number): Promise<void> {
    // Taken before the calls: an event that arrives meanwhile makes the next round record again.
    const mark = this.parts.activity?.mark();
    for (const name of names) this.recorded.delete(name);
    let pending = names;
    for (let call = 0; call < this.options.callsPerRound && pending.length > 0; call += 1) {
      const asked = pending;
      // The round's first call takes each queue's readings; the calls after it only count on.
      const takeReadings = call === 0;
      const outcomes = await this.parts.store
        .record(
          asked.map((queueName) => ({
            queueName,
            workers: this.workers.get(queueName) ?? null,
            takeReadings,
          })),
        )
        .catch((error: unknown) =>
          asked.map(() => (error instanceof Error ? error : new Error(String(error)))),
        );
      pending = asked.filter((name, index) => {
        const outcome = outcomes[index] ?? new Error('the store gave no answer for the queue');
        return this.tookIn(name, outcome, mark, now);
      });
    }
  }

  /** Take in one queue's outcome; `true` when it has more to count. */
  private tookIn(
    name: string,
    outcome: HistoryProgress | Error,
    mark: ActivityMark | undefined,
    now: number,
  ): boolean {
    if (outcome instanceof Error) {
      this.parts.logger.warn('cannot record history; trying again next round', {
        queue: name,
        reason: outcome.message,
      });
      return false;
    }
    if (outcome.missed && !this.missedReported.has(name)) {
      this.missedReported.add(name);
      this.parts.logger.warn('the history lacks events trimmed from the stream unread', {
        queue: name,
      });
    }
    if (outcome.more) return true;
    if (mark !== undefined) {
      this.recorded.set(name, { at: now, mark, phase: phaseOf(name, this.options.quietRefreshMs) });
    }
    return false;
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
