import type { OperationBody } from './console.js';
import type {
  JobSubscription,
  QueueSubscription,
  Subscription,
  SubscriptionView,
} from '../../domain/subscriptions/subscription-set.js';

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

/**
 * `operation-progress`: a bulk operation (retry all, promote all, clean) started, finished a
 * chunk, or ended. Sent to every connected client, as its own packet whatever the delivery mode.
 */
export interface ConsoleServerToClientEvents {
  'operation-progress': (operation: OperationBody) => void;
}

/** The name of a pushed event. */
export type ServerEventName = keyof ServerToClientEvents;

/** One event inside a batch: its name and exactly the payload it has when sent on its own. */
export type BatchedEvent = {
  [Name in ServerEventName]: readonly [Name, Parameters<ServerToClientEvents[Name]>[0]];
}[ServerEventName];

/**
 * How a connection wants its events, chosen at connect time with `auth.delivery`: `event` (the
 * default) sends each event as its own packet; `batch` sends `events` packets, each holding the
 * events since the previous one in order, at most one every 20 ms (at once after a quiet spell).
 */
export type DeliveryMode = 'event' | 'batch';

/** The handshake `auth` a client may send; `token` only when `QUEUEWATCH_API_TOKEN` is set. */
export interface ProgressHandshakeAuth {
  readonly token?: string;
  readonly delivery?: DeliveryMode;
}

/** Events the server pushes to a connection that chose `delivery: 'batch'`. */
export interface BatchedServerToClientEvents {
  events: (batch: readonly BatchedEvent[]) => void;
}

/** The error code of a refused connection (`connect_error`, in `err.data.code`). */
export type ConnectErrorCode = 'QW_UNAUTHORIZED' | 'QW_INVALID_DELIVERY';

/** `subscribe-to-job` / `unsubscribe-from-job`; without `queueName`, the job id in any queue. */
export interface JobSubscriptionRequest {
  readonly jobId: string;
  readonly queueName?: string | undefined;
}

/**
 * `subscribe-to-job`. With `resume: true` (after a reconnect), the job's `job-completed` or final
 * `job-failed`, if it has ended meanwhile, is sent before the acknowledgement; it may repeat an
 * event the client already had.
 */
export interface JobSubscribeRequest extends JobSubscriptionRequest {
  readonly resume?: boolean | undefined;
}

/** `subscribe-to-queue` / `unsubscribe-from-queue`; `"*"` means every queue. */
export interface QueueSubscriptionRequest {
  readonly queueName: string;
}

/** Error codes of a refused request; see docs/errors.md. */
export type SocketErrorCode =
  'QW_INVALID_PAYLOAD' | 'QW_SUBSCRIPTION_LIMIT' | 'QW_RESUME_FAILED' | 'QW_INTERNAL';

/** How every request is refused; the socket stays connected. */
export interface RequestRefusal {
  readonly ok: false;
  readonly error: { readonly code: SocketErrorCode; readonly message: string };
}

/**
 * The acknowledgement of `subscribe-to-job`, `unsubscribe-from-job`, `subscribe-to-queue` and
 * `unsubscribe-from-queue`: the subscription the request named, whether it changed anything
 * (`false` for a subscription already held, or an unsubscribe from one not held) and how many
 * subscriptions the connection holds now. Its size does not grow with the subscriptions held;
 * `get-subscriptions` lists them.
 */
export type SubscriptionChangeAck =
  | {
      readonly ok: true;
      readonly changed: boolean;
      readonly subscription: Subscription;
      readonly count: number;
    }
  | RequestRefusal;

/** The acknowledgement of `get-subscriptions`: every subscription, and how many there are. */
export type SubscriptionListAck =
  | { readonly ok: true; readonly subscriptions: SubscriptionView; readonly count: number }
  | RequestRefusal;

/** `subscribe-to-job-logs`: a job's log lines from `offset` (0 when absent), then live. */
export interface JobLogsSubscriptionRequest {
  readonly queueName: string;
  readonly jobId: string;
  readonly offset?: number | undefined;
}

/** `unsubscribe-from-job-logs`. */
export interface JobLogsUnsubscriptionRequest {
  readonly queueName: string;
  readonly jobId: string;
}

/**
 * `job-log`: log lines of a followed job, the first of them at `offset` (its index in the job's
 * log). Always its own packet, whatever the connection's delivery mode.
 */
export interface JobLogPayload {
  readonly queueName: string;
  readonly jobId: string;
  readonly offset: number;
  readonly lines: readonly string[];
}

/** The event the server pushes to a connection that follows a job's logs. */
export interface JobLogServerEvents {
  'job-log': (payload: JobLogPayload) => void;
}

/**
 * The acknowledgement of `subscribe-to-job-logs` and `unsubscribe-from-job-logs`: whether it
 * changed anything, and how many jobs' logs the connection follows now.
 */
export type JobLogsChangeAck =
  | {
      readonly ok: true;
      readonly changed: boolean;
      readonly queueName: string;
      readonly jobId: string;
      readonly count: number;
    }
  | RequestRefusal;

/** Requests a client sends; each is answered through its acknowledgement callback. */
export interface ClientToServerEvents {
  'subscribe-to-job': (
    payload: JobSubscribeRequest,
    ack?: (reply: SubscriptionChangeAck) => void,
  ) => void;
  'unsubscribe-from-job': (
    payload: JobSubscriptionRequest,
    ack?: (reply: SubscriptionChangeAck) => void,
  ) => void;
  'subscribe-to-queue': (
    payload: QueueSubscriptionRequest,
    ack?: (reply: SubscriptionChangeAck) => void,
  ) => void;
  'unsubscribe-from-queue': (
    payload: QueueSubscriptionRequest,
    ack?: (reply: SubscriptionChangeAck) => void,
  ) => void;
  'get-subscriptions': (ack?: (reply: SubscriptionListAck) => void) => void;
  'subscribe-to-job-logs': (
    payload: JobLogsSubscriptionRequest,
    ack?: (reply: JobLogsChangeAck) => void,
  ) => void;
  'unsubscribe-from-job-logs': (
    payload: JobLogsUnsubscriptionRequest,
    ack?: (reply: JobLogsChangeAck) => void,
  ) => void;
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

export type { JobSubscription, QueueSubscription, Subscription, SubscriptionView };
