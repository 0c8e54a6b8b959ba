import type { DeadLetterRecord } from '../ports/dead-letter-store.port.js';
import type { ConsoleAction, Role } from '../../domain/console/permissions.js';
import type { JobState } from './jobs.js';

/** A job state a list can show (BullMQ's states; `waiting` holds the jobs of a paused queue). */
export type ListableState = Exclude<JobState, 'unknown'> | 'paused';

/** The order of a job list: by when jobs entered the state (or were created), newest first or not. */
export type ListOrder = 'newest' | 'oldest';

/** One row of a job list or a search: what an operator scans a list by. */
export interface JobSummary {
  readonly id: string;
  readonly queueName: string;
  readonly name: string;
  readonly state: JobState;
  readonly progress: unknown;
  readonly attemptsMade: number;
  /** BullMQ's `attempts` option (1 when not set). */
  readonly attemptsAllowed: number;
  /** Created, started, finished (ms since the epoch); `null` until then. */
  readonly createdAt: number | null;
  readonly processedOn: number | null;
  readonly finishedOn: number | null;
  /** From creation (or the end of a delay) to the start of processing (ms). */
  readonly waitTime: number | null;
  readonly processingTime: number | null;
  readonly failedReason: string | null;
}

/**
 * `GET /api/v1/queues/:queue/jobs?state=&limit=&order=&page=|cursor=`. A page is read at one
 * moment; jobs that move meanwhile can appear on two pages or on none (see docs/console.md).
 */
export interface JobPageBody {
  readonly queueName: string;
  readonly state: ListableState;
  readonly order: ListOrder;
  readonly jobs: readonly JobSummary[];
  /** Jobs in the state when the page was read. */
  readonly total: number;
  /** Where the next page starts; `null` after the last page. */
  readonly nextCursor: string | null;
}

/** `GET /api/v1/jobs?id=`: the watched queues that hold a job of this id, and its state there. */
export interface JobLocationsBody {
  readonly jobId: string;
  readonly found: readonly { readonly queueName: string; readonly state: JobState }[];
}

/**
 * `GET /api/v1/queues/:queue/search?state=&name=|data=|path=&value=&cursor=`: a bounded scan
 * of one state, in chunks, that stops at its limit and says how far it got.
 */
export interface JobSearchBody {
  readonly queueName: string;
  readonly state: ListableState;
  readonly jobs: readonly JobSummary[];
  /** Jobs looked at by this call, and in the state when the scan began. */
  readonly scanned: number;
  readonly total: number;
  /** Continue the scan from here; `null` when the whole state was scanned. */
  readonly cursor: string | null;
}

/** A job's JSON as text, cut when it is too long to show. */
export interface JsonText {
  readonly text: string;
  /** Bytes of the whole text; `text` holds at most the first 64 KB of it. */
  readonly bytes: number;
  readonly truncated: boolean;
}

/** A node of a job's flow: a parent or child, where it is and how it stands. */
export interface FlowNode {
  readonly queueName: string;
  readonly id: string;
  readonly name: string | null;
  readonly state: JobState;
  readonly children: readonly FlowNode[];
}

/** `GET /api/v1/queues/:queue/jobs/:id/details`: everything about one job. */
export interface JobDetailBody extends JobSummary {
  readonly data: JsonText;
  readonly options: JsonText;
  readonly returnValue: JsonText | null;
  /** The stack trace of each failed attempt, oldest first (as BullMQ keeps them). */
  readonly stacktraces: readonly string[];
  readonly delay: number;
  readonly priority: number;
  /** Log lines the job wrote (`job.log()`), read with `GET …/logs`. */
  readonly logCount: number;
  readonly parent: FlowNode | null;
  /** The job's own children (one level; a child with children of its own says so). */
  readonly children: readonly FlowNode[];
  readonly deadLetters: readonly DeadLetterRecord[];
}

/** `GET /api/v1/queues/:queue/jobs/:id/logs?offset=&limit=`. */
export interface JobLogsBody {
  readonly lines: readonly string[];
  readonly offset: number;
  readonly total: number;
}

/** A job scheduler (or legacy repeatable job) of a queue. */
export interface SchedulerItem {
  readonly id: string;
  readonly name: string | null;
  /** A cron pattern, or `null` when it repeats `every` ms. */
  readonly pattern: string | null;
  readonly every: number | null;
  readonly timezone: string | null;
  /** When it next adds a job (ms since the epoch). */
  readonly next: number | null;
  readonly iterations: number | null;
  /** The job it added last, when Queuewatch can tell. */
  readonly lastJobId: string | null;
}

/** `GET /api/v1/queues/:queue/schedulers`. */
export interface SchedulersBody {
  readonly queueName: string;
  readonly schedulers: readonly SchedulerItem[];
}

/** `GET /api/v1/me`: who the request's token is, and what it may do. */
export interface MeBody {
  readonly name: string;
  readonly role: Role;
  /** `QUEUEWATCH_READ_ONLY`: no change is allowed, whatever the role. */
  readonly readOnly: boolean;
  readonly may: readonly ConsoleAction[];
}

/** How a change ended. */
export type ActionOutcome =
  | { readonly status: 'done'; readonly count: number }
  | { readonly status: 'refused'; readonly code: string; readonly reason: string }
  | { readonly status: 'failed'; readonly reason: string }
  | { readonly status: 'cancelled'; readonly count: number };

/** One line of the audit trail: who changed what, when, and how it ended. */
export interface AuditEntry {
  readonly id: string;
  /** ISO-8601. */
  readonly at: string;
  /** The token's name (`admin` for `QUEUEWATCH_API_TOKEN`, `anonymous` without tokens). */
  readonly who: string;
  readonly role: Role;
  readonly action: ConsoleAction;
  readonly queueName: string | null;
  readonly jobIds: readonly string[];
  /** The filter of a bulk action (state, name, reason, grace…), as given. */
  readonly filter: Readonly<Record<string, unknown>> | null;
  readonly outcome: ActionOutcome;
}

/** `GET /api/v1/audit?limit=`: newest first. */
export interface AuditBody {
  readonly entries: readonly AuditEntry[];
}

/** A bulk action running in chunks (retry all, promote all, clean). */
export interface OperationBody {
  readonly id: string;
  readonly action: ConsoleAction;
  readonly queueName: string;
  readonly status: 'running' | 'done' | 'cancelled' | 'failed';
  /** Jobs handled so far, and how many there were when it began (`null` when unknown). */
  readonly done: number;
  readonly total: number | null;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly reason: string | null;
}

/** A change to one job (`POST …/jobs/:id/retry|promote|duplicate`, `DELETE …/jobs/:id`). */
export interface JobActionBody {
  readonly action: 'retry' | 'promote' | 'duplicate' | 'remove';
  readonly queueName: string;
  readonly jobId: string;
  /** The job's state after the action (`unknown` once removed; the new job's for a duplicate). */
  readonly state: JobState;
  /** The id of the job a duplicate made. */
  readonly newJobId?: string;
}

/** `POST /api/v1/queues/:queue/pause` and `/resume`. */
export interface QueuePauseBody {
  readonly queueName: string;
  readonly paused: boolean;
}

/** `POST /api/v1/queues/:queue/drain` `{ delayed? }`. */
export interface DrainRequest {
  /** Remove the delayed jobs too (default: only the waiting ones). */
  readonly delayed?: boolean;
}

/** The answer of a drain: how many jobs it removed. */
export interface DrainBody {
  readonly queueName: string;
  readonly count: number;
}

/** `POST /api/v1/dead-letters/:recordId/reenqueue`: the job added to the original queue. */
export interface ReenqueueBody {
  readonly queueName: string;
  readonly jobId: string;
}

/** `POST /api/v1/queues/:queue/retry-all`: which failed jobs; none given retries them all. */
export interface RetryAllRequest {
  /** Only jobs of exactly this name. */
  readonly name?: string;
  /** Only jobs whose failure reason contains this text. */
  readonly reason?: string;
}

/** A state `clean` can empty. */
export type CleanableState =
  'completed' | 'failed' | 'delayed' | 'waiting' | 'paused' | 'prioritized';

/** `POST /api/v1/queues/:queue/clean`: remove the jobs of a state older than `graceMs`. */
export interface CleanRequest {
  readonly state: CleanableState;
  readonly graceMs: number;
}

export type { ConsoleAction, Role };
