import type { Socket } from 'socket.io';
import type {
  BatchedServerToClientEvents,
  ConsoleServerToClientEvents,
  JobLogServerEvents,
  RequestRefusal,
  ServerToClientEvents,
  SocketErrorCode,
  SubscriptionChangeAck,
  SubscriptionListAck,
} from '../../application/contract/socket-events.js';
import type { Logger } from '../../application/ports/logger.port.js';
import {
  SubscriptionSet,
  type SubscriptionChange,
} from '../../domain/subscriptions/subscription-set.js';
import {
  maxResumesInFlight,
  resumeJob,
  resumeKey,
  ResumesInFlight,
  type JobResuming,
  type JobToResume,
} from './job-resume-requests.js';
import { parseJobRequest, parseJobSubscription, parseQueueRequest } from './socket-payloads.js';
import type { TickBroadcaster } from './tick-broadcaster.js';
import { reasonOf } from '../../domain/wording/reason.js';

/** Every request the server listens for; payloads arrive untyped and are checked here. */
export type InboundEvents = Record<
  | 'subscribe-to-job'
  | 'unsubscribe-from-job'
  | 'subscribe-to-queue'
  | 'unsubscribe-from-queue'
  | 'get-subscriptions'
  | 'subscribe-to-job-logs'
  | 'unsubscribe-from-job-logs',
  (...args: unknown[]) => void
>;

/** Every event the server pushes, per event or in batches. */
export type OutboundEvents = ServerToClientEvents &
  BatchedServerToClientEvents &
  JobLogServerEvents &
  ConsoleServerToClientEvents;

/** What the gateway keeps on a socket (`socket.data`), only once it is needed. */
export interface SocketState {
  /** Created on the connection's first request: an idle socket holds none. */
  subscriptions?: SubscriptionSet;
  /** Set when the client connected with `auth.delivery: 'batch'`. */
  batched?: true;
  /** Created on the first `resume: true`. */
  resumes?: ResumesInFlight;
}

export type GatewaySocket = Socket<
  InboundEvents,
  OutboundEvents,
  Record<string, never>,
  SocketState
>;

/** A request handler shared by every socket: Socket.IO calls it with the socket as `this`. */
type SharedHandler = (this: GatewaySocket, ...args: unknown[]) => void;

/** What a request is answered with. */
type Reply = SubscriptionChangeAck | SubscriptionListAck;

/** A `subscribe-to-job` with `resume: true`: the change, and the job to bring up to date. */
interface ResumingChange {
  readonly change: SubscriptionChange;
  readonly resume: JobToResume;
}

/**
 * The request handlers, made once for the gateway rather than once per socket: each finds its
 * socket as `this` and the socket's subscriptions in `socket.data`.
 */
export function requestHandlers(
  options: { readonly subscriptionLimit: number; readonly logger: Logger },
  broadcaster: TickBroadcaster,
  resumer: () => JobResuming | null,
): [keyof InboundEvents, SharedHandler][] {
  const serve = (
    name: keyof InboundEvents,
    handle: (
      payload: unknown,
      subscriptions: SubscriptionSet,
      socket: GatewaySocket,
    ) => Reply | SubscriptionChange | ResumingChange,
  ): [keyof InboundEvents, SharedHandler] => [
    name,
    function (this: GatewaySocket, ...args: unknown[]) {
      const last = args.at(-1);
      const ack = typeof last === 'function' ? (last as (reply: Reply) => void) : undefined;
      const subscriptions = (this.data.subscriptions ??= new SubscriptionSet(
        options.subscriptionLimit,
      ));
      let reply: Reply;
      let resumed: Promise<Reply> | null = null;
      try {
        const outcome = handle(args[0], subscriptions, this);
        if ('resume' in outcome) {
          const subscribed = apply(this, subscriptions, outcome.change, broadcaster);
          reply = subscribed;
          const resuming = resumer();
          if (subscribed.ok && resuming) {
            const { jobId, queueName } = outcome.resume;
            // Only a subscription this request made is taken back.
            const undo = (): boolean => {
              if (!subscribed.changed) return false;
              const change = subscriptions.unsubscribeJob(jobId, queueName);
              apply(this, subscriptions, change, broadcaster);
              return true;
            };
            const resumes = (this.data.resumes ??= new ResumesInFlight());
            const context = { resuming, broadcaster, resumes, undo, logger: options.logger };
            resumed = resumeJob(this, outcome.resume, subscribed, context);
          }
        } else {
          reply =
            'subscriptions' in outcome || 'error' in outcome
              ? outcome
              : apply(this, subscriptions, outcome, broadcaster);
        }
      } catch (error) {
        options.logger.error('a socket request failed', {
          event: name,
          reason: reasonOf(error),
        });
        reply = {
          ok: false,
          error: { code: 'QW_INTERNAL', message: 'internal error; see the Queuewatch log' },
        };
      }
      if (resumed) void resumed.then((settled) => ack?.(settled));
      else ack?.(reply);
    },
  ];

  return [
    serve('subscribe-to-job', (payload, subscriptions, socket) => {
      const request = parseJobSubscription(payload);
      if (!request.ok) return invalid(request.message);
      const { jobId, queueName = null, resume } = request.value;
      if (resume !== true) {
        socket.data.resumes?.confirm(resumeKey({ jobId, queueName }));
        return subscriptions.subscribeJob(jobId, queueName);
      }
      if (socket.data.resumes?.full) {
        return refused(
          'QW_RESUME_FAILED',
          `this connection already waits for ${String(maxResumesInFlight)} resumes: wait for their acknowledgements`,
        );
      }
      return { change: subscriptions.subscribeJob(jobId, queueName), resume: { jobId, queueName } };
    }),
    serve('unsubscribe-from-job', (payload, subscriptions) => {
      const request = parseJobRequest(payload);
      return request.ok
        ? subscriptions.unsubscribeJob(request.value.jobId, request.value.queueName ?? null)
        : invalid(request.message);
    }),
    serve('subscribe-to-queue', (payload, subscriptions) => {
      const request = parseQueueRequest(payload);
      return request.ok
        ? subscriptions.subscribeQueue(request.value.queueName)
        : invalid(request.message);
    }),
    serve('unsubscribe-from-queue', (payload, subscriptions) => {
      const request = parseQueueRequest(payload);
      return request.ok
        ? subscriptions.unsubscribeQueue(request.value.queueName)
        : invalid(request.message);
    }),
    serve('get-subscriptions', (_payload, subscriptions) => ({
      ok: true,
      subscriptions: subscriptions.view(),
      count: subscriptions.size,
    })),
  ];
}

/**
 * A per-event socket joins and leaves the rooms of its subscriptions; a batched one moves to the
 * audience group of its new set of rooms. The acknowledgement says what changed, never the whole
 * list: its size does not grow with the subscriptions the socket holds.
 */
function apply(
  socket: GatewaySocket,
  subscriptions: SubscriptionSet,
  change: SubscriptionChange,
  broadcaster: TickBroadcaster,
): SubscriptionChangeAck {
  if (!change.ok) return { ok: false, error: { code: change.code, message: change.message } };
  if (socket.data.batched) {
    if (change.join !== undefined || change.leave !== undefined)
      broadcaster.regroup(socket, subscriptions.rooms());
  } else {
    if (change.join !== undefined) void socket.join(change.join);
    if (change.leave !== undefined) void socket.leave(change.leave);
  }
  return {
    ok: true,
    changed: change.changed,
    subscription: change.subscription,
    count: change.count,
  };
}

function invalid(message: string): RequestRefusal {
  return refused('QW_INVALID_PAYLOAD', message);
}

function refused(code: SocketErrorCode, message: string): RequestRefusal {
  return { ok: false, error: { code, message } };
}
