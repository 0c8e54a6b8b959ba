import type { HistoryPoint, HistoryRange } from '../../domain/history/history-series.js';

/**
 * One minute or hour of a queue (or of every queue together), as HistoryPoint has it (see its
 * fields there), its start as ISO-8601.
 */
export type HistoryPointBody = Omit<HistoryPoint, 'at'> & { readonly at: string };

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
