/** Something that happened to one job, as Queuewatch relays it. `at` is ms since the epoch. */
export type JobEvent =
  | {
      readonly kind: 'active';
      readonly queueName: string;
      readonly jobId: string;
      readonly at: number;
    }
  | {
      readonly kind: 'progress';
      readonly queueName: string;
      readonly jobId: string;
      readonly progress: unknown;
      readonly at: number;
    }
  | {
      readonly kind: 'completed';
      readonly queueName: string;
      readonly jobId: string;
      readonly returnValue: unknown;
      /** From the start of processing to completion (ms); `null` when unknown. */
      readonly processingTime: number | null;
      readonly at: number;
    }
  | {
      readonly kind: 'failed';
      readonly queueName: string;
      readonly jobId: string;
      /** The event's id in its queue's event stream: one per failed attempt, the same for every reader. */
      readonly eventId: string;
      readonly failedReason: string;
      readonly attemptsMade: number | null;
      readonly willRetry: boolean;
      readonly at: number;
      /**
       * The failed job as its hash was read with the event (`null`: the job was gone); absent
       * when it was not read, and whoever needs it reads it then.
       */
      readonly job?: FailedJobDetails | null;
    }
  | {
      readonly kind: 'custom-progress';
      readonly queueName: string;
      readonly jobId: string;
      readonly data: unknown;
      readonly at: number;
    };

/** What a failed job's hash holds that a dead-letter record keeps. */
export interface FailedJobDetails {
  readonly name: string | null;
  /** The last attempt's stack trace, one line per entry. */
  readonly stacktrace: readonly string[];
  /** The job's data as JSON text. */
  readonly data: string | null;
}

/** The kinds of JobEvent. */
export type JobEventKind = JobEvent['kind'];
