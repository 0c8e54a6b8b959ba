/** Where a job stands, as BullMQ names it; `unknown` when it is in no state (e.g. being moved). */
export type JobState =
  | 'waiting'
  | 'prioritized'
  | 'active'
  | 'delayed'
  | 'completed'
  | 'failed'
  | 'waiting-children'
  | 'unknown';

/** One job's state, progress and timings, as read from its queue. */
export interface JobStatus {
  readonly id: string;
  readonly queueName: string;
  readonly name: string;
  readonly state: JobState;
  readonly progress: unknown;
  readonly attemptsMade: number;
  readonly failedReason: string | null;
  /** When processing started / the job finished (ms since the epoch), `null` until then. */
  readonly processedOn: number | null;
  readonly finishedOn: number | null;
  /** finishedOn − processedOn (ms) once finished. */
  readonly processingTime: number | null;
  /** What the processor returned, parsed; `undefined` when it returned nothing (or not yet). */
  readonly returnValue?: unknown;
}
