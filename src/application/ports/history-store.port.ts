import type { HistorySample, HistoryStep } from '../../domain/history/history-series.js';

/** What one recording call did for one queue. */
export interface HistoryProgress {
  /** Event entries counted. */
  readonly counted: number;
  /** More entries wait: call again at once. */
  readonly more: boolean;
  /** Entries were trimmed from the stream before they were counted: the points lack them. */
  readonly missed: boolean;
}

/** Everything counted for one queue since its history began, and its latest readings. */
export type HistoryTotals = Omit<HistorySample, 'at'> & {
  /** When the job that has waited longest in `wait` was created (ms epoch); `null`: none waits. */
  readonly oldestWaitingAt: number | null;
};

/** A queue to record, with its worker count (`null`: not known). */
export interface HistoryRecording {
  readonly queueName: string;
  readonly workers: number | null;
  /**
   * Take the backlog, active and worker readings in this call. `false` when an earlier call of
   * the same round took them and this one only goes on counting the queue's entries.
   */
  readonly takeReadings: boolean;
}

/**
 * Where each queue's minute and hour points are kept. Recording counts the queue's new events
 * exactly once, whichever instance records, and takes the backlog and active readings.
 */
export interface HistoryStore {
  /**
   * Record these queues in one go: each one's progress, or the error that kept it from being
   * recorded, in their order. The store bounds the time the whole call spends counting entries;
   * a queue that had no time says there is more when its stream holds entries not counted yet.
   */
  record(queues: readonly HistoryRecording[]): Promise<(HistoryProgress | Error)[]>;
  /** The points kept for these step starts; a step with nothing kept is left out. */
  read(queueName: string, step: HistoryStep, starts: readonly number[]): Promise<HistorySample[]>;
  /** Each queue's totals; a queue with no history yet is left out. */
  totals(queueNames: readonly string[]): Promise<Map<string, HistoryTotals>>;
}
