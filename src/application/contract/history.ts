import type { HistoryRange } from '../../domain/history/history-series.js';

/** One minute or hour of a queue (or of every queue together). */
export interface HistoryPointBody {
  /** The start of the minute or hour (ISO-8601). */
  readonly at: string;
  /** Jobs added, completed, failed for good, and attempts sent back to wait (failed to retry, stalled). */
  readonly added: number;
  readonly completed: number;
  readonly failed: number;
  readonly retried: number;
  /** Waiting + prioritized + delayed jobs now due, last read in the step; `null` when not read. */
  readonly backlog: number | null;
  readonly active: number | null;
  readonly workers: number | null;
  /** From when a job could start to its first start (ms), over the jobs started in the step. */
  readonly waitP50Ms: number | null;
  readonly waitP95Ms: number | null;
  /** From start to completion (ms), over the jobs completed in the step. */
  readonly processingP50Ms: number | null;
  readonly processingP95Ms: number | null;
}

/**
 * `GET /api/v1/queues/:queue/history?range=` and `GET /api/v1/history?range=` (every watched
 * queue added up): one point per minute (`1h`, `24h`) or per hour (`7d`, `30d`), oldest first,
 * ending with the step in progress.
 */
export interface HistoryBody {
  /** The queue, or `null` for every watched queue together. */
  readonly queueName: string | null;
  readonly range: HistoryRange;
  readonly stepSeconds: number;
  readonly points: readonly HistoryPointBody[];
}

export type { HistoryRange };
