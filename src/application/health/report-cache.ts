import type { Clock } from '../ports/clock.port.js';
import type { Timer } from '../ports/timer.port.js';

/** How long a report is served, and when the next one is read ahead. */
export interface ReportCacheOptions {
  /** A report younger than this (ms) is served again; concurrent askers share one read. */
  readonly maxAgeMs: number;
  /** For this long (ms) after a request, slow reads are read ahead; `0` reads on request only. */
  readonly keepFreshForMs: number;
  /** Times the reads ahead; without it, reports are read on request only. */
  readonly timer?: Pick<Timer, 'delay'>;
}

/** A read this long (ms) or longer is read ahead while someone asks for reports. */
export const slowReadMs = 20;

/** A report read, or being read, and when its reading started. */
interface ReportInHand<T> {
  readonly at: number;
  /** The order reads were started in (their `at` goes back with a clock set back). */
  readonly order: number;
  readonly report: Promise<T>;
  settled: boolean;
}

/**
 * Serves the latest report of a costly read. A report is served while younger than `maxAgeMs`;
 * once expired it is still served while the next is read, for at most twice the last read's
 * time. And for `keepFreshForMs` after a request, while a read takes `slowReadMs` or more, the
 * next report is read as soon as each one expires: a reader polling less often than `maxAgeMs`
 * (a dashboard every 2 s) gets a report at most `maxAgeMs` and one read old without waiting for
 * the read. A faster read costs a reader less to wait for than it costs to repeat.
 */
export class ReportCache<T> {
  /** The report served while it is younger than `maxAgeMs`. */
  private latest: ReportInHand<T> | undefined;
  /** The report being read to replace `latest` once that expired. */
  private next: ReportInHand<T> | undefined;
  /** How long the last read took (ms). */
  private lastReadMs = 0;
  /** When a report was last asked for. */
  private lastAskedAt = Number.NEGATIVE_INFINITY;
  /** Whether a read ahead is already planned. */
  private refreshPlanned = false;
  private readsStarted = 0;
  private readonly stopping = new AbortController();

  constructor(
    private readonly clock: Clock,
    private readonly options: ReportCacheOptions,
    private readonly read: (now: number) => Promise<T>,
  ) {}

  /** The latest report, as described above; a reader coming back after a long pause waits. */
  get(): Promise<T> {
    const now = this.clock.now();
    this.lastAskedAt = now;
    const { maxAgeMs } = this.options;
    const latest = this.latest;
    const age = latest ? now - latest.at : Number.POSITIVE_INFINITY;
    // A clock set back makes the latest report one read in the future: it is read again.
    const current = latest !== undefined && age >= 0;
    if (current && age < maxAgeMs) return latest.report;
    // The expired report, while the next is read: settled, and not older than the grace.
    const stale =
      maxAgeMs > 0 && current && latest.settled && age < maxAgeMs + 2 * this.lastReadMs
        ? latest
        : undefined;
    if (this.next) return (stale ?? this.next).report;
    const read = this.start(now);
    if (stale) {
      this.next = read;
      return stale.report;
    }
    this.latest = read;
    return read.report;
  }

  /** Read nothing ahead from now on. */
  stop(): void {
    this.stopping.abort();
  }

  /** Start reading a report; `ended` hears of it once it is read (settled) or failed. */
  private start(now: number): ReportInHand<T> {
    const report = this.read(now);
    this.readsStarted += 1;
    const read: ReportInHand<T> = { at: now, order: this.readsStarted, report, settled: false };
    report.then(
      () => {
        read.settled = true;
        this.lastReadMs = Math.max(0, this.clock.now() - now);
        this.ended(read);
      },
      () => {
        this.ended(read);
      },
    );
    return read;
  }

  /** A read has ended: keep its report if it is the newest, and plan the next one. */
  private ended(done: ReportInHand<T>): void {
    if (this.next === done) this.next = undefined;
    // Reads may end out of order (maxAgeMs 0): a report never replaces one started after it.
    if (done.settled && (this.latest?.order ?? 0) <= done.order) this.latest = done;
    else if (this.latest === done) this.latest = undefined;
    if (this.latest === done && done.settled) this.planRefresh(done);
  }

  /** Read the next report as soon as this one expires, if reads are slow and someone asks. */
  private planRefresh(read: ReportInHand<T>): void {
    const { maxAgeMs, keepFreshForMs, timer } = this.options;
    if (!timer || maxAgeMs <= 0 || keepFreshForMs <= 0 || this.refreshPlanned) return;
    if (this.lastReadMs < slowReadMs || this.stopping.signal.aborted) return;
    this.refreshPlanned = true;
    // Within one cache age: a clock set back must not put the next read off by as much.
    const wait = Math.min(maxAgeMs, Math.max(0, read.at + maxAgeMs - this.clock.now()));
    timer.delay(wait, this.stopping.signal).then(
      () => {
        this.refreshPlanned = false;
        this.refresh();
      },
      () => {
        this.refreshPlanned = false;
      },
    );
  }

  /** Read the next report now if someone still asks and the newest has expired. */
  private refresh(): void {
    const now = this.clock.now();
    const latest = this.latest;
    // A read under way plans the next one when it ends; a failed one waits for a request.
    // A request "from the future" (the clock was set back since) keeps nothing fresh.
    if (now < this.lastAskedAt || now - this.lastAskedAt >= this.options.keepFreshForMs) return;
    if (this.next || latest?.settled !== true) return;
    // A report read "in the future" has expired as well (see get).
    const age = now - latest.at;
    if (age >= 0 && age < this.options.maxAgeMs) this.planRefresh(latest);
    else this.next = this.start(now);
  }
}
