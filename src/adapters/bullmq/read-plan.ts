/** Which streams one XREAD asks for, and for how long it blocks (`null`: it does not block). */
export interface PlannedRead {
  readonly names: readonly string[];
  readonly blockMs: number | null;
}

/** When reading in two tiers starts, and how it goes. */
export interface ReadPlanOptions {
  /** Below this many streams, every read asks for all of them (one tier). */
  readonly tieredFrom: number;
  /** How long a blocking read waits for an entry. */
  readonly blockMs: number;
  /** A stream with an entry within this time is hot. */
  readonly hotForMs: number;
  /** While some stream is hot, the others are read at least this often. */
  readonly sweepMs: number;
}

/**
 * Plans the event reader's reads. One XREAD over thousands of stream keys (a queue per tenant)
 * costs Redis and Node several milliseconds a call, and a busy queue would pay that for every
 * batch it gets. So, from `tieredFrom` streams on, the streams that had entries lately (hot) are
 * read on their own, blocking, and every `sweepMs` one read without blocking asks for all of them,
 * which catches a quiet queue waking up. While nothing is hot, one blocking read asks for every
 * stream, as below `tieredFrom`: a quiet queue's first entry then comes at once, and otherwise
 * within `sweepMs`. Nothing is skipped: each stream is read after the last entry read from it.
 */
export class ReadPlan {
  /** When each hot stream last had an entry. */
  private readonly lastEntryAt = new Map<string, number>();
  private lastSweepAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: ReadPlanOptions) {}

  /** The next read over `followed` (every stream being read), at `now` (ms). */
  next(followed: ReadonlyMap<string, unknown>, now: number): PlannedRead {
    // The list of every stream is made only for a read that asks for all of them.
    const all = (): string[] => [...followed.keys()];
    if (followed.size < this.options.tieredFrom) {
      return { names: all(), blockMs: this.options.blockMs };
    }
    const hot: string[] = [];
    for (const [name, at] of this.lastEntryAt) {
      if (at < now - this.options.hotForMs || !followed.has(name)) this.lastEntryAt.delete(name);
      else hot.push(name);
    }
    if (hot.length === 0) {
      this.lastSweepAt = now;
      return { names: all(), blockMs: this.options.blockMs };
    }
    const untilSweep = this.lastSweepAt + this.options.sweepMs - now;
    if (untilSweep <= 0) {
      this.lastSweepAt = now;
      return { names: all(), blockMs: null };
    }
    // Whole milliseconds: Redis refuses a fractional BLOCK.
    const blockMs = Math.max(1, Math.ceil(Math.min(this.options.blockMs, untilSweep)));
    return { names: hot, blockMs };
  }

  /** Streams that had entries in the read just done, at `now`. */
  entriesRead(names: Iterable<string>, now: number): void {
    for (const name of names) this.lastEntryAt.set(name, now);
  }
}
