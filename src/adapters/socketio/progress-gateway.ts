import type { Server as HttpServer, IncomingHttpHeaders } from 'node:http';
import { Server as Engine } from 'engine.io';
import { Server, type Namespace } from 'socket.io';
import type {
  ConnectErrorCode,
  ConsoleServerToClientEvents,
  ProgressHandshakeAuth,
  ProgressNamespace,
} from '../../application/contract/socket-events.js';
import type { Logger } from '../../application/ports/logger.port.js';
import type { JobLogSink } from '../../application/console/job-log-follower.js';
import { interceptEngineRequests } from './engine-attachment.js';
import { namespaceLogSink, serveJobLogRequests, type JobLogFollowing } from './job-log-requests.js';
import type { JobResuming } from './job-resume-requests.js';
import {
  requestHandlers,
  type GatewaySocket,
  type InboundEvents,
  type OutboundEvents,
  type SocketState,
} from './subscription-requests.js';
import type { BackpressureLimits } from './slow-clients.js';
import { TickBroadcaster } from './tick-broadcaster.js';

const namespaceName: ProgressNamespace = '/job-progress';

/** How the gateway is set up. */
export interface ProgressGatewayOptions {
  /**
   * Judges each new connection's first HTTP request (long-polling or WebSocket upgrade) by its
   * headers, before any session exists; a refusal is answered 403 with its message.
   */
  readonly admitRequest?: (
    headers: IncomingHttpHeaders,
  ) => { readonly code: string; readonly message: string } | null;
  /**
   * Origins of other pages allowed to open the socket (besides Queuewatch's own): their
   * long-polling requests get CORS headers, without which a browser would not read the answers.
   */
  readonly corsOrigins?: readonly string[];
  /** Checks the handshake's `auth.token`; `null` lets every client in. */
  readonly authenticate: ((candidate: string) => boolean) | null;
  /** Subscriptions one connection may hold. */
  readonly subscriptionLimit: number;
  readonly backpressure: BackpressureLimits;
  /** The shortest time between two `events` batches to a batched client (default 20 ms). */
  readonly batchIntervalMs?: number;
  readonly logger: Logger;
}

/** At most 50 batches a second per client: more than a screen shows, far fewer packets. */
const defaultBatchIntervalMs = 20;

/** The gateway: where relayed events go, where it is served, and how to close it. */
export interface ProgressGateway {
  readonly broadcaster: TickBroadcaster;
  readonly namespace: Namespace;
  /** Where followed job log lines go (`job-log` to the sockets that follow the job). */
  readonly logSink: JobLogSink;
  /** Serve `subscribe-to-job-logs` and `unsubscribe-from-job-logs` through `following`. */
  serveJobLogs(following: JobLogFollowing): void;
  /** Bring `subscribe-to-job` requests with `resume: true` up to date through `reader`. */
  serveResume(reader: JobResuming): void;
  /** The path Socket.IO is served at (`/socket.io`, `/queues/socket.io`); `null` until attached. */
  readonly path: string | null;
  /**
   * Serve the gateway on this HTTP server at `path`, beside whatever else the server serves.
   * Once: a second call throws.
   */
  attach(server: HttpServer, path: string): void;
  /** Disconnect every client and stop serving; the HTTP server itself is left as it is. */
  close(): Promise<void>;
  /** Tell every connected client how a bulk operation stands (`operation-progress`). */
  announceOperation(
    operation: Parameters<ConsoleServerToClientEvents['operation-progress']>[0],
  ): void;
}

/**
 * The `/job-progress` namespace, ready to be served (`attach`) on an HTTP server: Queuewatch's
 * own, or an application's that embeds it. Events can be relayed before it is attached; they
 * reach nobody.
 */
export function createProgressGateway(options: ProgressGatewayOptions): ProgressGateway {
  const engine = new Engine({
    maxHttpBufferSize: 64 * 1024,
    ...(options.corsOrigins?.length ? { cors: { origin: [...options.corsOrigins] } } : {}),
    // Engine level, so both transports are judged before a session exists: a page elsewhere
    // must not read job events over a WebSocket, which browsers open without CORS.
    allowRequest: (request, callback) => {
      const refusal = options.admitRequest?.(request.headers) ?? null;
      if (refusal === null) callback(null, true);
      else callback(`${refusal.code}: ${refusal.message}`, false);
    },
  });
  const io = new Server<InboundEvents, OutboundEvents, Record<string, never>, SocketState>({
    serveClient: false,
  });
  // Bound rather than attached: engine.io's attach cannot be undone without closing the server.
  io.bind(engine);
  // Socket.IO's "Memory usage" guide: drop each connection's first HTTP request (socket.request),
  // which nothing here reads (the handshake's `auth` comes with the CONNECT packet, and
  // `handshake.headers` and `handshake.query` are then empty). With the upgrade's response let go
  // of (interceptEngineRequests), a direct WebSocket connection keeps its request no longer either.
  engine.on('connection', (raw: { request: unknown }) => {
    raw.request = null;
  });
  const namespace = io.of(namespaceName);
  const broadcaster = new TickBroadcaster(
    namespace,
    options.backpressure,
    options.logger,
    options.batchIntervalMs ?? defaultBatchIntervalMs,
  );

  namespace.use((socket, next) => {
    if (!options.authenticate) {
      next();
      return;
    }
    const token = handshakeAuth(socket).token;
    if (typeof token === 'string' && options.authenticate(token)) {
      next();
      return;
    }
    next(
      refusal(
        'QW_UNAUTHORIZED',
        typeof token === 'string'
          ? 'unauthorized: the token is not valid'
          : 'unauthorized: connect with { auth: { token: "<QUEUEWATCH_API_TOKEN>" } }',
      ),
    );
  });

  namespace.use((socket, next) => {
    const delivery = handshakeAuth(socket).delivery;
    if (delivery === 'batch') socket.data.batched = true;
    if (delivery === undefined || delivery === 'event' || delivery === 'batch') {
      next();
      return;
    }
    const shown =
      typeof delivery === 'string' ? JSON.stringify(delivery.slice(0, 40)) : typeof delivery;
    next(
      refusal(
        'QW_INVALID_DELIVERY',
        `invalid delivery: auth.delivery must be "event" (the default) or "batch", not ${shown}`,
      ),
    );
  });

  let jobLogs: JobLogFollowing | null = null;
  let resuming: JobResuming | null = null;
  const handlers = requestHandlers(options, broadcaster, () => resuming);
  namespace.on('connection', (socket) => {
    if (socket.data.batched) broadcaster.batch(socket);
    for (const [name, handler] of handlers) socket.on(name, handler);
    if (jobLogs) serveJobLogRequests(socket, jobLogs, options.logger);
  });

  let path: string | null = null;
  let detach: (() => void) | undefined;
  return {
    broadcaster,
    namespace,
    logSink: namespaceLogSink(namespace),
    serveJobLogs: (following) => {
      jobLogs = following;
    },
    serveResume: (reader) => {
      resuming = reader;
    },
    get path() {
      return path;
    },
    attach: (server, at) => {
      if (path !== null) throw new Error(`the progress gateway is already served at ${path}`);
      path = at;
      detach = interceptEngineRequests(server, at, engine);
    },
    announceOperation: (operation) => {
      namespace.emit('operation-progress', operation);
    },
    close: async () => {
      detach?.();
      detach = undefined;
      // Without an HTTP server of its own, Socket.IO only disconnects and closes the engine.
      await io.close();
    },
  };
}

function handshakeAuth(
  socket: GatewaySocket,
): Partial<Record<keyof ProgressHandshakeAuth, unknown>> {
  const auth: unknown = socket.handshake.auth;
  return typeof auth === 'object' && auth !== null ? auth : {};
}

function refusal(code: ConnectErrorCode, message: string): Error {
  const error = new Error(message) as Error & { data: { code: ConnectErrorCode } };
  error.data = { code };
  return error;
}
