import type { JobSummary, ListOrder, ListableState } from '../contract/console.js';
import type { Clock } from '../ports/clock.port.js';
import type { Timer } from '../ports/timer.port.js';
import type { JobBrowser, ListPosition } from '../ports/job-browser.port.js';
import type { MonitoredQueues } from '../queues/monitored-queues.js';
import { ChunkPacer, type ChunkBounds } from '../../domain/console/chunk-pacer.js';
import { matchesQuery, type JobQuery } from '../../domain/console/job-match.js';
import type { Found } from './job-read-service.js';
import { stateOfListed, summaryOf } from './job-views.js';

/** What to scan, for what, from where, and how far at most. */
export interface SearchRequest {
  readonly queueName: string;
  readonly state: ListableState;
  readonly order: ListOrder;
  readonly query: JobQuery;
  readonly from: ListPosition;
  /** Jobs to look at in this call at most. */
  readonly scanLimit: number;
  /** Stop once this many jobs match. */
  readonly limit: number;
}

/** What a scan found, how far it got, and where to continue. */
export interface SearchResult {
  readonly queueName: string;
  readonly state: ListableState;
  readonly jobs: readonly JobSummary[];
  readonly scanned: number;
  readonly total: number;
  /** `null` once the whole state was scanned. */
  readonly next: ListPosition | null;
}

/**
 * Jobs read per Redis call of a scan (a range of ids with each job's fields): fitted as the scan
 * goes so that a call takes about 2 ms, round trip and reading the jobs here included — Redis's
 * own share is about half — whatever the size of the jobs; and twice as long a rest after each,
 * so a scan takes at most a third of Redis's time and of a core. A search is read while it runs:
 * a long one stays out of the way of the applications on the same Redis.
 */
export const scanChunk: ChunkBounds = {
  start: 50,
  min: 10,
  max: 500,
  targetMs: 2,
  restRatio: 2,
};

/** How long one search call scans at most (ms), well within the API's request deadline. */
export const scanBudgetMs = 1_000;

/** The size of a scan's chunks and how long one call may scan. */
export interface ScanSettings {
  readonly chunk: ChunkBounds;
  readonly budgetMs: number;
}

/**
 * Search one state of one queue by name or data: a bounded scan in chunks, matched here (plain
 * text, never a Redis pattern), stopping at the scan limit, once enough jobs matched, or when its
 * time is up (the answer's cursor continues it).
 */
export class JobSearchService {
  constructor(
    private readonly queues: MonitoredQueues,
    private readonly browser: JobBrowser,
    private readonly clock: Clock,
    private readonly timer: Pick<Timer, 'delay'>,
    private readonly settings: ScanSettings = { chunk: scanChunk, budgetMs: scanBudgetMs },
  ) {}

  async search(request: SearchRequest): Promise<Found<SearchResult>> {
    if (!this.queues.get(request.queueName)) return { found: false, reason: 'unknown-queue' };
    const withData = request.query.data !== undefined || request.query.path !== undefined;
    const shown = stateOfListed(request.state);
    const jobs: JobSummary[] = [];
    let scanned = 0;
    let total: number | null = null;
    let position: ListPosition | null = request.from;
    const until = this.clock.now() + this.settings.budgetMs;
    const pacer = new ChunkPacer(this.settings.chunk);
    // The rest the last chunk earned, taken only when another chunk follows.
    let rest = 0;
    while (
      position !== null &&
      scanned < request.scanLimit &&
      jobs.length < request.limit &&
      (total === null || this.clock.now() < until)
    ) {
      if (rest > 0) await this.timer.delay(rest);
      const began = this.clock.now();
      const range = await this.browser.range({
        queueName: request.queueName,
        state: request.state,
        order: request.order,
        from: position,
        count: Math.min(pacer.size, request.scanLimit - scanned),
        withData,
      });
      const elapsed = this.clock.now() - began;
      pacer.record(range.entries.length, elapsed);
      rest = pacer.restAfter(elapsed);
      total ??= range.total;
      let stoppedAt: ListPosition | null = null;
      for (const [index, { job, after }] of range.entries.entries()) {
        scanned += 1;
        if (matchesQuery({ name: job.name, data: job.data }, request.query)) {
          jobs.push(summaryOf(request.queueName, shown, job));
          // Stopped on the range's last job: where the range ends says whether more follow.
          if (jobs.length === request.limit && index < range.entries.length - 1) {
            stoppedAt = after;
            break;
          }
        }
      }
      // An empty range that is not the end (jobs gone meanwhile) would never move on: stop.
      position = stoppedAt ?? (range.entries.length === 0 ? null : range.next);
    }
    return {
      found: true,
      value: {
        queueName: request.queueName,
        state: request.state,
        jobs,
        scanned,
        total: total ?? 0,
        next: position,
      },
    };
  }
}
