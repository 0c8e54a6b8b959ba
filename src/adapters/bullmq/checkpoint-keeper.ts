import type { CheckpointStore } from '../../application/ports/checkpoint-store.port.js';
import type { Clock } from '../../application/ports/clock.port.js';
import type { Logger } from '../../application/ports/logger.port.js';
import { reasonOf } from '../../domain/wording/reason.js';

/** The positions one batch moved, and how much of its listeners' work is unfinished. */
interface BatchInFlight {
  readonly positions: Map<string, string>;
  left: number;
}

/**
 * Where a restart may resume: the stream positions up to which every event's work (a dead-letter
 * record, an alert notice) is done. Batches are noted with their work, which is not waited for —
 * live events keep flowing while a write waits for Redis — and the saved checkpoint never passes
 * the oldest batch with unfinished work, so a restart reads that batch again. Saved within a
 * second of moving, at most once a second; past `maxUnfinishedWork` the reader waits for room.
 */
export class CheckpointKeeper {
  /** Batches with unfinished work, oldest first. */
  private readonly inFlight: BatchInFlight[] = [];
  private unfinishedWork = 0;
  /** Done positions not saved yet: a save writes only what moved since the last one. */
  private unsaved = new Map<string, string>();
  private roomWaiters: (() => void)[] = [];
  private saveTimer: NodeJS.Timeout | undefined;
  private lastSaveAt = 0;
  private stopped = false;

  constructor(
    private readonly store: CheckpointStore | undefined,
    private readonly maxUnfinishedWork: number,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /**
   * A batch was read; `moved` holds the positions that changed since the previous batch (only
   * those: with thousands of queues, copying every position per batch cost more than reading).
   * `work` is what the batch's listeners still do.
   */
  batchRead(moved: ReadonlyMap<string, string>, work: readonly Promise<void>[]): void {
    const newest = this.inFlight.at(-1);
    if (work.length === 0) {
      if (!newest) {
        this.moved(moved);
        return;
      }
      // Nothing to wait for: its moves ride with the newest batch still in flight, and apply
      // when that one's do. Batches without work never pile up behind one whose write waits.
      for (const [name, id] of moved) newest.positions.set(name, id);
      return;
    }
    const batch: BatchInFlight = { positions: new Map(moved), left: work.length };
    this.inFlight.push(batch);
    this.unfinishedWork += work.length;
    const finished = (): void => {
      batch.left -= 1;
      this.unfinishedWork -= 1;
      this.advance();
    };
    for (const done of work) void done.then(finished, finished);
  }

  /** Resolves at once while there is room for more unfinished work, else once there is. */
  room(): Promise<void> {
    if (this.unfinishedWork <= this.maxUnfinishedWork || this.stopped) return Promise.resolve();
    this.logger.warn('reading paused: too much work waits for Redis', {
      unfinished: this.unfinishedWork,
    });
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /** Stop saving on a timer, let waiting readers go, and save where the done work ends now. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.saveTimer);
    for (const waiter of this.roomWaiters.splice(0)) waiter();
    await this.save();
  }

  /** Move the done positions past every batch whose work is all done, oldest first. */
  private advance(): void {
    while (this.inFlight[0]?.left === 0) {
      const batch = this.inFlight.shift();
      if (batch) this.moved(batch.positions);
    }
    if (this.unfinishedWork <= this.maxUnfinishedWork) {
      for (const waiter of this.roomWaiters.splice(0)) waiter();
    }
  }

  /** Batches are done in the order they were read: each one's moves apply over the last. */
  private moved(positions: ReadonlyMap<string, string>): void {
    for (const [name, id] of positions) this.unsaved.set(name, id);
    if (!this.store || this.saveTimer || this.stopped) return;
    this.saveTimer = setTimeout(
      () => {
        this.saveTimer = undefined;
        void this.save();
      },
      Math.max(0, this.lastSaveAt + 1_000 - this.clock.now()),
    );
  }

  /**
   * Save the done positions that moved since the last save (with thousands of queues, most are
   * quiet: writing every position each second cost more than the reading); a failed save keeps
   * them for the next, and only means a longer replay.
   */
  private async save(): Promise<void> {
    if (!this.store || this.unsaved.size === 0) return;
    this.lastSaveAt = this.clock.now();
    const saving = this.unsaved;
    this.unsaved = new Map();
    try {
      await this.store.save(saving);
    } catch (error) {
      // Moves made meanwhile are newer than the ones that failed to save.
      for (const [name, id] of saving) if (!this.unsaved.has(name)) this.unsaved.set(name, id);
      this.logger.debug('could not save the event checkpoints; trying again later', {
        reason: reasonOf(error),
      });
    }
  }
}
