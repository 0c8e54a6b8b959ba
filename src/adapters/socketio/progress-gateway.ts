import type { Server as HttpServer } from 'node:http';
import { Server, type Namespace, type Socket } from 'socket.io';
import type {
  ProgressNamespace,
  ServerToClientEvents,
  SubscriptionAck,
} from '../../application/contract/socket-events.js';
import type { Logger } from '../../application/ports/logger.port.js';
import {
  SubscriptionSet,
  type SubscriptionChange,
} from '../../domain/subscriptions/subscription-set.js';
import { parseJobRequest, parseQueueRequest } from './socket-payloads.js';
import { TickBroadcaster, type BackpressureLimits } from './tick-broadcaster.js';

const namespaceName: ProgressNamespace = '/job-progress';

/** Every request the server listens for; payloads arrive untyped and are checked here. */
type InboundEvents = Record<
  | 'subscribe-to-job'
  | 'unsubscribe-from-job'
  | 'subscribe-to-queue'
  | 'unsubscribe-from-queue'
  | 'get-subscriptions',
  (...args: unknown[]) => void
>;

/** How the gateway is set up. */
export interface ProgressGatewayOptions {
  /** Checks the handshake's `auth.token`; `null` lets every client in. */
  readonly authenticate: ((candidate: string) => boolean) | null;
  /** Subscriptions one connection may hold. */
  readonly subscriptionLimit: number;
  readonly backpressure: BackpressureLimits;
  readonly logger: Logger;
}

/** The attached gateway: where relayed events go, and how to close it. */
export interface ProgressGateway {
  readonly broadcaster: TickBroadcaster;
  readonly namespace: Namespace;
  close(): Promise<void>;
}

/** Serve the `/job-progress` namespace on this HTTP server (same port as the API). */
export function attachProgressGateway(
  server: HttpServer,
  options: ProgressGatewayOptions,
): ProgressGateway {
  const io = new Server<InboundEvents, ServerToClientEvents>(server, {
    serveClient: false,
    maxHttpBufferSize: 64 * 1024,
  });
  const namespace = io.of(namespaceName);
  const broadcaster = new TickBroadcaster(namespace, options.backpressure, options.logger);

  namespace.use((socket, next) => {
    if (!options.authenticate) {
      next();
      return;
    }
    const token: unknown = (socket.handshake.auth as Record<string, unknown> | undefined)?.token;
    if (typeof token === 'string' && options.authenticate(token)) {
      next();
      return;
    }
    const refusal = new Error(
      typeof token === 'string'
        ? 'unauthorized: the token is not valid'
        : 'unauthorized: connect with { auth: { token: "<QUEUEWATCH_API_TOKEN>" } }',
    ) as Error & { data: { code: string } };
    refusal.data = { code: 'QW_UNAUTHORIZED' };
    next(refusal);
  });

  namespace.on('connection', (socket) => {
    broadcaster.watch(socket);
    serveRequests(socket, new SubscriptionSet(options.subscriptionLimit), options.logger);
  });

  return {
    broadcaster,
    namespace,
    close: () =>
      new Promise<void>((resolve) => {
        void io.close(() => {
          resolve();
        });
      }),
  };
}

function serveRequests(
  socket: Socket<InboundEvents>,
  subscriptions: SubscriptionSet,
  logger: Logger,
): void {
  const on = (
    name: keyof InboundEvents,
    handle: (payload: unknown) => SubscriptionAck | SubscriptionChange,
  ): void => {
    socket.on(name, (...args: unknown[]) => {
      const last = args.at(-1);
      const ack =
        typeof last === 'function' ? (last as (reply: SubscriptionAck) => void) : undefined;
      let reply: SubscriptionAck;
      try {
        const outcome = handle(args[0]);
        reply =
          'subscriptions' in outcome || 'error' in outcome
            ? outcome
            : apply(socket, subscriptions, outcome);
      } catch (error) {
        logger.error('a socket request failed', {
          event: name,
          reason: error instanceof Error ? error.message : String(error),
        });
        reply = {
          ok: false,
          error: { code: 'QW_INTERNAL', message: 'internal error; see the Queuewatch log' },
        };
      }
      ack?.(reply);
    });
  };

  on('subscribe-to-job', (payload) => {
    const request = parseJobRequest(payload);
    return request.ok
      ? subscriptions.subscribeJob(request.value.jobId, request.value.queueName ?? null)
      : invalid(request.message);
  });
  on('unsubscribe-from-job', (payload) => {
    const request = parseJobRequest(payload);
    return request.ok
      ? subscriptions.unsubscribeJob(request.value.jobId, request.value.queueName ?? null)
      : invalid(request.message);
  });
  on('subscribe-to-queue', (payload) => {
    const request = parseQueueRequest(payload);
    return request.ok
      ? subscriptions.subscribeQueue(request.value.queueName)
      : invalid(request.message);
  });
  on('unsubscribe-from-queue', (payload) => {
    const request = parseQueueRequest(payload);
    return request.ok
      ? subscriptions.unsubscribeQueue(request.value.queueName)
      : invalid(request.message);
  });
  on('get-subscriptions', () => ({ ok: true, subscriptions: subscriptions.view() }));
}

function apply(
  socket: Socket,
  subscriptions: SubscriptionSet,
  change: SubscriptionChange,
): SubscriptionAck {
  if (!change.ok) return { ok: false, error: { code: change.code, message: change.message } };
  if (change.join !== undefined) void socket.join(change.join);
  if (change.leave !== undefined) void socket.leave(change.leave);
  return { ok: true, subscriptions: subscriptions.view() };
}

function invalid(message: string): SubscriptionAck {
  return { ok: false, error: { code: 'QW_INVALID_PAYLOAD', message } };
}
