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
      readonly failedReason: string;
      readonly attemptsMade: number | null;
      readonly willRetry: boolean;
      readonly at: number;
    }
  | {
      readonly kind: 'custom-progress';
      readonly queueName: string;
      readonly jobId: string;
      readonly data: unknown;
      readonly at: number;
    };

/** The kinds of JobEvent. */
export type JobEventKind = JobEvent['kind'];
