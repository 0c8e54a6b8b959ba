/** A failed job as kept for investigation in the dead-letter queue. */
export interface DeadLetterRecord {
  /** Deterministic per queue, job and attempt, so a replay never duplicates it. */
  readonly id: string;
  readonly queueName: string;
  readonly jobId: string;
  readonly jobName: string | null;
  readonly failedReason: string;
  /** The last lines of the stack trace, bounded. */
  readonly stacktrace: readonly string[];
  readonly attemptsMade: number | null;
  readonly willRetry: boolean;
  /** ISO-8601. */
  readonly failedAt: string;
  readonly priority: string;
  /** The start of the job's data as JSON text, bounded; `null` when the job is gone. */
  readonly dataPreview: string | null;
}

/** Size and age of the dead-letter queue. */
export interface DeadLetterSummary {
  readonly queueName: string;
  readonly size: number;
  readonly oldestFailedAt: string | null;
  readonly newestFailedAt: string | null;
}

/** The dead-letter queue. */
export interface DeadLetterStore {
  /** Keep a record; recording the same id again changes nothing. */
  record(record: DeadLetterRecord): Promise<void>;
  /** Newest first. */
  recent(limit: number): Promise<DeadLetterRecord[]>;
  /** The records of one job (one per failed attempt), oldest first, at most `limit`. */
  ofJob(queueName: string, jobId: string, limit: number): Promise<DeadLetterRecord[]>;
  /** One record by its id; `null` when there is none (never kept, or pruned). */
  get(id: string): Promise<DeadLetterRecord | null>;
  summary(): Promise<DeadLetterSummary>;
  /** Remove records older than `maxAgeMs` before `now`, then the oldest beyond `maxCount`. */
  prune(now: number, maxAgeMs: number, maxCount: number): Promise<number>;
}
