import type { JobState, OperationBody } from '../../../src/application/contract/index.js';

/** The answer of a single job's action (retry, promote, duplicate, remove). */
export interface JobActionBody {
  readonly action: string;
  readonly queueName: string;
  readonly jobId: string;
  readonly state: JobState;
  /** The new job of a duplicate. */
  readonly newJobId?: string;
}

/** `pause` / `resume`. */
export interface QueuePausedBody {
  readonly queueName: string;
  readonly paused: boolean;
}

/** `drain`: how many jobs were removed. */
export interface QueueDrainedBody {
  readonly queueName: string;
  readonly count: number;
}

/** A re-enqueued dead-letter record: the new job. */
export interface ReenqueuedBody {
  readonly queueName: string;
  readonly jobId: string;
}

/** `job-log`: lines a job appended to its log, from `offset`. */
export interface JobLogPayload {
  readonly queueName: string;
  readonly jobId: string;
  readonly offset: number;
  readonly lines: readonly string[];
}

/** `subscribe-to-job-logs`: follow a job's log from `offset`. */
export interface JobLogSubscriptionRequest {
  readonly queueName: string;
  readonly jobId: string;
  readonly offset: number;
}

/** The console's events the gateway pushes besides progress. */
export interface ConsoleServerEvents {
  'job-log': (payload: JobLogPayload) => void;
  'operation-progress': (payload: OperationBody) => void;
}

/** A console event, tagged with its name. */
export type ConsoleEvent =
  | { readonly type: 'job-log'; readonly payload: JobLogPayload }
  | { readonly type: 'operation-progress'; readonly payload: OperationBody };

/** An acknowledgement as the gateway sends it (only whether it was refused matters here). */
export type ConsoleAck =
  | { readonly ok: true }
  | { readonly ok: false; readonly error: { readonly code: string; readonly message: string } };

/** The console's requests to the gateway. */
export interface ConsoleClientEvents {
  'subscribe-to-job-logs': (
    payload: JobLogSubscriptionRequest,
    ack?: (reply: ConsoleAck) => void,
  ) => void;
  'unsubscribe-from-job-logs': (
    payload: Omit<JobLogSubscriptionRequest, 'offset'>,
    ack?: (reply: ConsoleAck) => void,
  ) => void;
}
