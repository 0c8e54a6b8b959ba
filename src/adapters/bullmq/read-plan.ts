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
  /**
   * Streams asked for by one read of a sweep: a sweep over more is split into reads of this many,
   * spread over `sweepMs`, so no one read holds Node or Redis for long (unlimited by default).
   */
  readonly sweepSlice?: number;
}

/**
 * Plans the event reader's reads. One XREAD over thousands of stream keys (a queue per tenant)
 * costs Redis and Node several milliseconds a call, and a busy queue would pay that for every
 * batch it gets. So, from `tieredFrom` streams on, the streams that had entries lately (hot) are
 * read on their own, blocking, and every `sweepMs` one read without blocking asks for all of them,
 * which catches a quiet queue waking up. While nothing is hot, one blocking read asks for every
 * stream, as below `tieredFrom`: a quiet queue's first entry then comes at once, and otherwise
 * within `sweepMs`. A sweep over more than `sweepSlice` streams is made of reads of that many,
 * in turn, one every `sweepMs` ÷ (number of slices): 10,000 streams are swept as ten reads of
 * 1,000, one every 20 ms, not one read of 20,000 arguments that encodes for milliseconds. Nothing
 * is skipped: each stream is read after the last entry read from it, at least every `sweepMs`.
 */
export class ReadPlan {
  /** When each hot stream last had an entry. */
  private readonly lastEntryAt = new Map<string, number>();
  private lastSweepAt = Number.NEGATIVE_INFINITY;
  /** The streams in the order sweeps take them, and where the next sweep read starts. */
  private order: string[] = [];
  private cursor = 0;

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
    const sliceSize = this.options.sweepSlice ?? Number.POSITIVE_INFINITY;
    const slices = Math.max(1, Math.ceil(followed.size / sliceSize));
    const untilSweep = this.lastSweepAt + this.options.sweepMs / slices - now;
    if (untilSweep <= 0) {
      this.lastSweepAt = now;
      return { names: slices > 1 ? this.nextSlice(followed, sliceSize) : all(), blockMs: null };
    }
    // Whole milliseconds: Redis refuses a fractional BLOCK.
    const blockMs = Math.max(1, Math.ceil(Math.min(this.options.blockMs, untilSweep)));
    return { names: hot, blockMs };
  }

  /** The next `size` streams of the sweep, from the first again after the last. */
  private nextSlice(followed: ReadonlyMap<string, unknown>, size: number): string[] {
    // Each round of the sweep takes the streams followed when it starts, and any followed since.
    if (this.cursor >= this.order.length) this.cursor = 0;
    if (this.cursor === 0 || this.order.length !== followed.size) this.order = [...followed.keys()];
    const slice = this.order.slice(this.cursor, this.cursor + size);
    this.cursor += size;
    return slice.filter((name) => followed.has(name));
  }

  /** Streams that had entries in the read just done, at `now`. */
  entriesRead(names: Iterable<string>, now: number): void {
    for (const name of names) this.lastEntryAt.set(name, now);
  }
}
