/** How big a chunk of jobs may be, and how long one Redis call should hold Redis at the most. */
export interface ChunkBounds {
  /** Jobs in the first chunk. */
  readonly start: number;
  readonly min: number;
  readonly max: number;
  /** The time one chunk's call should take (ms). */
  readonly targetMs: number;
  /**
   * After each chunk, rest this many times as long as it took before the next one (0: none), so
   * that a long scan or bulk action leaves Redis, and the CPU it shares, to everyone else too.
   */
  readonly restRatio: number;
}

/**
 * The size of the next chunk of a scan or a bulk action, fitted to how long the last ones took:
 * jobs differ in size (a job with 50 KB of data costs Redis more than one with 50 bytes), so a
 * fixed count cannot promise that no call holds Redis for more than a few milliseconds. After each
 * chunk the size moves halfway to the count that would have taken `targetMs` at the pace just
 * measured, at most doubling at a time, within `min` and `max`.
 */
export class ChunkPacer {
  private current: number;

  constructor(private readonly bounds: ChunkBounds) {
    this.current = this.within(bounds.start);
  }

  /** Jobs to ask for in the next chunk. */
  get size(): number {
    return this.current;
  }

  /** How long to rest after a chunk that took `elapsedMs` (ms). */
  restAfter(elapsedMs: number): number {
    return Number.isFinite(elapsedMs) ? Math.max(0, elapsedMs) * this.bounds.restRatio : 0;
  }

  /** What the last chunk held and how long it took (ms); a chunk of no jobs tells nothing. */
  record(jobs: number, elapsedMs: number): void {
    if (!(jobs > 0) || !Number.isFinite(elapsedMs)) return;
    // A clock in whole milliseconds reads a fast call as 0: count it as half of one.
    const perJob = Math.max(elapsedMs, 0.5) / jobs;
    const fit = this.bounds.targetMs / perJob;
    this.current = this.within(Math.min(this.current * 2, (this.current + fit) / 2));
  }

  private within(size: number): number {
    const { min, max } = this.bounds;
    return Math.max(min, Math.min(max, Math.round(size)));
  }
}
