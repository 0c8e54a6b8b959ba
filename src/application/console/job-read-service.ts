import type {
  JobDetailBody,
  JobLocationsBody,
  JobLogsBody,
  JobSummary,
  ListOrder,
  ListableState,
  SchedulersBody,
} from '../contract/console.js';
import type { DeadLetterStore } from '../ports/dead-letter-store.port.js';
import type { JobBrowser, ListPosition } from '../ports/job-browser.port.js';
import type { MonitoredQueues } from '../queues/monitored-queues.js';
import { flowNodeOf, jsonTextOf, stateOfListed, summaryOf } from './job-views.js';

/** Why a read found nothing. */
export interface NotFound {
  readonly found: false;
  readonly reason: 'unknown-queue' | 'unknown-job';
}

/** What a read found, or why it did not. */
export type Found<T> = { readonly found: true; readonly value: T } | NotFound;

/** A page of a job list, its next position still a position (the HTTP adapter makes it a cursor). */
export interface JobPage {
  readonly queueName: string;
  readonly state: ListableState;
  readonly order: ListOrder;
  readonly jobs: readonly JobSummary[];
  readonly total: number;
  readonly next: ListPosition | null;
}

/** Bounds of the console's reads. */
export const readBounds = {
  /** Children of a job the detail lists. */
  children: 100,
  /** Dead-letter records of a job the detail lists. */
  deadLetters: 50,
  /** Schedulers of a queue listed. */
  schedulers: 1_000,
} as const;

/** The most of a failure reason the detail carries. */
const detailReasonChars = 65_536;

const notWatched: NotFound = { found: false, reason: 'unknown-queue' };
const noSuchJob: NotFound = { found: false, reason: 'unknown-job' };

/**
 * The console's reads: job lists, lookup by id, one job in full, its logs, the schedulers. Only
 * watched queues are read, so the API cannot be used to read arbitrary keys.
 */
export class JobReadService {
  constructor(
    private readonly queues: MonitoredQueues,
    private readonly browser: JobBrowser,
    private readonly deadLetters: DeadLetterStore,
  ) {}

  /** One page of a state, from a position. */
  async list(
    queueName: string,
    state: ListableState,
    order: ListOrder,
    limit: number,
    from: ListPosition,
  ): Promise<Found<JobPage>> {
    if (!this.queues.get(queueName)) return notWatched;
    const range = await this.browser.range({
      queueName,
      state,
      order,
      from,
      count: limit,
      withData: false,
    });
    const shown = stateOfListed(state);
    return {
      found: true,
      value: {
        queueName,
        state,
        order,
        jobs: range.entries.map(({ job }) => summaryOf(queueName, shown, job)),
        total: range.total,
        next: range.next,
      },
    };
  }

  /** Every watched queue that holds a job of this id (one round trip for all of them). */
  async locate(jobId: string): Promise<JobLocationsBody> {
    const found = await this.browser.locate(this.queues.names(), jobId);
    return { jobId, found };
  }

  /** Everything about one job. */
  async detail(queueName: string, jobId: string): Promise<Found<JobDetailBody>> {
    if (!this.queues.get(queueName)) return notWatched;
    const [job, deadLetters] = await Promise.all([
      this.browser.detail(queueName, jobId, readBounds.children),
      this.deadLetters.ofJob(queueName, jobId, readBounds.deadLetters),
    ]);
    if (job === null) return noSuchJob;
    return {
      found: true,
      value: {
        ...summaryOf(queueName, job.state, job, detailReasonChars),
        data: jsonTextOf(job.dataText),
        options: jsonTextOf(job.optionsText),
        returnValue: job.returnValueText === null ? null : jsonTextOf(job.returnValueText),
        stacktraces: job.stacktraces,
        delay: job.delay,
        priority: job.priority,
        logCount: job.logCount,
        parent: job.parent === null ? null : flowNodeOf(job.parent),
        children: job.children.map(flowNodeOf),
        deadLetters,
      },
    };
  }

  /** A job's log lines from `offset`. */
  async logs(
    queueName: string,
    jobId: string,
    offset: number,
    limit: number,
  ): Promise<Found<JobLogsBody>> {
    if (!this.queues.get(queueName)) return notWatched;
    const read = await this.browser.logs(queueName, jobId, offset, limit);
    if (read === null) return noSuchJob;
    return { found: true, value: { lines: read.lines, offset, total: read.total } };
  }

  /** The queue's job schedulers and repeatable jobs, soonest first. */
  async schedulers(queueName: string): Promise<Found<SchedulersBody>> {
    if (!this.queues.get(queueName)) return notWatched;
    const schedulers = await this.browser.schedulers(queueName, readBounds.schedulers);
    return { found: true, value: { queueName, schedulers } };
  }
}
