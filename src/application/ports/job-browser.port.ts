import type { ListOrder, ListableState } from '../contract/console.js';
import type { JobState } from '../queues/job-status.js';

/**
 * Where a page or a scan chunk starts: a position in the state's list or sorted set, and the job
 * just before it (with its score in a sorted set), so the reader can find the place again when
 * jobs moved meanwhile.
 */
export interface ListPosition {
  readonly index: number;
  readonly after: { readonly id: string; readonly score: string | null } | null;
}

/** What to read of one state of one queue. */
export interface RangeRequest {
  readonly queueName: string;
  readonly state: ListableState;
  readonly order: ListOrder;
  readonly from: ListPosition;
  readonly count: number;
  /** Also read each job's data (for a search); lists do not. */
  readonly withData: boolean;
}

/** One job as a list row: BullMQ's fields, parsed. */
export interface JobRecord {
  readonly id: string;
  readonly name: string | null;
  readonly progress: unknown;
  readonly attemptsMade: number;
  readonly attemptsAllowed: number;
  readonly createdAt: number | null;
  readonly delay: number;
  readonly processedOn: number | null;
  readonly finishedOn: number | null;
  readonly failedReason: string | null;
  /** The job's data as stored, when asked for; `null` otherwise or when it has none. */
  readonly data: string | null;
}

/** Jobs of one state, read at one moment. */
export interface JobRange {
  /** Jobs in the state at that moment. */
  readonly total: number;
  /** Index of the first job read (the reader may have moved it to find its place again). */
  readonly start: number;
  /** In order, each with the position just after it; a job whose hash is gone is left out. */
  readonly entries: readonly { readonly job: JobRecord; readonly after: ListPosition }[];
  /** Where the next range starts; `null` when this one reached the end. */
  readonly next: ListPosition | null;
}

/** A job found by its id in one queue. */
export interface JobLocation {
  readonly queueName: string;
  readonly state: JobState;
}

/** A job of a flow, named by its queue's key (`<prefix>:<queue>`), which may be another prefix. */
export interface FlowRef {
  readonly queueKey: string;
  readonly queueName: string;
  readonly id: string;
}

/** A parent or child of a job, as read. */
export interface FlowRecord extends FlowRef {
  readonly name: string | null;
  readonly state: JobState;
  /** Children of its own that it waits for or had (counted, not read). */
  readonly childCount: number;
}

/** A text that may have been cut by the reader: its head and the size of the whole. */
export interface TextHead {
  readonly head: string;
  readonly bytes: number;
}

/** Everything about one job, as read in one go. */
export interface JobDetailRecord extends JobRecord {
  readonly state: JobState;
  readonly data: string | null;
  readonly dataText: TextHead | null;
  readonly optionsText: TextHead | null;
  readonly returnValueText: TextHead | null;
  /** BullMQ's `stacktrace` field: one trace per failed attempt, oldest first. */
  readonly stacktraces: readonly string[];
  readonly priority: number;
  readonly logCount: number;
  readonly parent: FlowRecord | null;
  readonly children: readonly FlowRecord[];
}

/** A job scheduler or legacy repeatable job. */
export interface SchedulerRecord {
  readonly id: string;
  readonly name: string | null;
  readonly pattern: string | null;
  readonly every: number | null;
  readonly timezone: string | null;
  readonly next: number | null;
  readonly iterations: number | null;
  readonly lastJobId: string | null;
}

/** Reads jobs for the console: lists, lookups, one job in full, its logs, the schedulers. */
export interface JobBrowser {
  /** Jobs of one state from a position, with their fields, in one round trip. */
  range(request: RangeRequest): Promise<JobRange>;
  /** Where a job of this id is, in each named queue that holds one (one round trip). */
  locate(queueNames: readonly string[], jobId: string): Promise<JobLocation[]>;
  /** One job in full; `null` when the queue holds no such job. `children` holds at most `maxChildren`. */
  detail(queueName: string, jobId: string, maxChildren: number): Promise<JobDetailRecord | null>;
  /** Log lines from `offset`; `null` when the queue holds no such job. */
  logs(
    queueName: string,
    jobId: string,
    offset: number,
    limit: number,
  ): Promise<{ readonly lines: readonly string[]; readonly total: number } | null>;
  /** The queue's schedulers, soonest first, at most `limit`. */
  schedulers(queueName: string, limit: number): Promise<SchedulerRecord[]>;
}
