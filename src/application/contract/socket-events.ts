import type { SubscriptionView } from '../../domain/subscriptions/subscription-set.js';

/** The Socket.IO namespace of the progress gateway. */
export type ProgressNamespace = '/job-progress';

/** `job-progress`: a job reported progress (`job.updateProgress(value)`; a number or an object). */
export interface JobProgressPayload {
  readonly jobId: string;
  readonly queueName: string;
  readonly progress: unknown;
  /** When it happened, ms since the epoch (Redis's clock). */
  readonly timestamp: number;
}

/** `job-completed`: a job finished successfully. */
export interface JobCompletedPayload {
  readonly jobId: string;
  readonly queueName: string;
  /** From the start of processing to completion, ms; `null` when Queuewatch cannot know it. */
  readonly processingTime: number | null;
  readonly timestamp: number;
  /** What the processor returned (absent when it returned nothing). */
  readonly returnValue?: unknown;
}

/** `job-failed`: an attempt failed; `willRetry` says whether BullMQ will try again. */
export interface JobFailedPayload {
  readonly jobId: string;
  readonly queueName: string;
  readonly failedReason: string;
  /** Attempts made so far, this one included; `null` when the job was already removed. */
  readonly attemptsMade: number | null;
  readonly willRetry: boolean;
  readonly timestamp: number;
}

/** `custom-progress`: anything a worker published for a job with `publishCustomProgress`. */
export interface CustomProgressPayload {
  readonly jobId: string;
  readonly queueName: string;
  readonly data: unknown;
  readonly timestamp: number;
}

/** Events the server pushes. */
export interface ServerToClientEvents {
  'job-progress': (payload: JobProgressPayload) => void;
  'job-completed': (payload: JobCompletedPayload) => void;
  'job-failed': (payload: JobFailedPayload) => void;
  'custom-progress': (payload: CustomProgressPayload) => void;
}

/** The name of a pushed event. */
export type ServerEventName = keyof ServerToClientEvents;

/** `subscribe-to-job` / `unsubscribe-from-job`; without `queueName`, the job id in any queue. */
export interface JobSubscriptionRequest {
  readonly jobId: string;
  readonly queueName?: string | undefined;
}

/** `subscribe-to-queue` / `unsubscribe-from-queue`; `"*"` means every queue. */
export interface QueueSubscriptionRequest {
  readonly queueName: string;
}

/** Error codes of a refused request; see docs/errors.md. */
export type SocketErrorCode = 'QW_INVALID_PAYLOAD' | 'QW_SUBSCRIPTION_LIMIT' | 'QW_INTERNAL';

/** The acknowledgement of every client request. */
export type SubscriptionAck =
  | { readonly ok: true; readonly subscriptions: SubscriptionView }
  | {
      readonly ok: false;
      readonly error: { readonly code: SocketErrorCode; readonly message: string };
    };

/** Requests a client sends; each is answered through its acknowledgement callback. */
export interface ClientToServerEvents {
  'subscribe-to-job': (
    payload: JobSubscriptionRequest,
    ack?: (reply: SubscriptionAck) => void,
  ) => void;
  'unsubscribe-from-job': (
    payload: JobSubscriptionRequest,
    ack?: (reply: SubscriptionAck) => void,
  ) => void;
  'subscribe-to-queue': (
    payload: QueueSubscriptionRequest,
    ack?: (reply: SubscriptionAck) => void,
  ) => void;
  'unsubscribe-from-queue': (
    payload: QueueSubscriptionRequest,
    ack?: (reply: SubscriptionAck) => void,
  ) => void;
  'get-subscriptions': (ack?: (reply: SubscriptionAck) => void) => void;
}

/** What a worker publishes on the custom-progress channel (see `queuewatch/worker`). */
export interface CustomProgressMessage {
  readonly queueName: string;
  readonly jobId: string;
  readonly data: unknown;
  /** When the worker published it (ms); the receive time is used when absent. */
  readonly timestamp?: number;
}

/** The Redis pub/sub channel workers publish custom progress on. */
export type CustomProgressChannel = 'queuewatch:custom-progress';

export type { SubscriptionView };
