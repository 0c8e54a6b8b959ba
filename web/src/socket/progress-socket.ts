import { io, type Socket } from 'socket.io-client';
import type {
  BatchedServerToClientEvents,
  ClientToServerEvents,
  ServerToClientEvents,
} from '../../../src/application/contract/index.js';
import type { ConsoleServerEvents } from '../api/console-wire.js';
import { servedAt } from '../api/mount-path.js';

/** The path of the progress gateway's namespace on the page's own origin. */
export const progressNamespace = '/job-progress';

/** A `connect_error`: Socket.IO puts the server's `{ code }` in `data` when it refused the socket. */
export interface ConnectError extends Error {
  readonly data?: unknown;
}

/** What a progress socket can be listened to for: the server's events and the connection's own. */
export interface ProgressSocketEvents
  extends ServerToClientEvents, BatchedServerToClientEvents, ConsoleServerEvents {
  connect: () => void;
  disconnect: (reason: string) => void;
  connect_error: (error: ConnectError) => void;
}

/** Every request the dashboard sends: subscriptions to jobs, queues and job logs. */
export type SocketRequests = ClientToServerEvents;

/** The part of a Socket.IO client socket the dashboard uses; tests pass a fake one. */
export interface ProgressSocket {
  readonly connected: boolean;
  on<E extends keyof ProgressSocketEvents>(event: E, listener: ProgressSocketEvents[E]): unknown;
  off<E extends keyof ProgressSocketEvents>(event: E, listener: ProgressSocketEvents[E]): unknown;
  emit<E extends keyof SocketRequests>(event: E, ...args: Parameters<SocketRequests[E]>): unknown;
  connect(): unknown;
  disconnect(): unknown;
}

/**
 * Opens a socket to the gateway. Every (re)connection sends the API token `token()` answers then,
 * so a new token needs no new socket.
 */
export type ProgressSocketFactory = (token: () => string | null) => ProgressSocket;

/**
 * The real factory: Socket.IO on the page's origin and socket path, reconnecting by itself, with
 * batched delivery (`events` packets of everything since the last one, at most one per 20 ms):
 * far fewer packets than one per event, for the server and for the page.
 */
export const openProgressSocket: ProgressSocketFactory = (token) => {
  const socket: Socket<
    ServerToClientEvents & BatchedServerToClientEvents & ConsoleServerEvents,
    SocketRequests
  > = io(progressNamespace, {
    path: servedAt.socketPath,
    auth: (send) => {
      const current = token();
      send(current === null ? { delivery: 'batch' } : { token: current, delivery: 'batch' });
    },
  });
  // Socket.IO's typed methods are generic over its reserved events in a way TypeScript cannot
  // match against this narrower interface, though every call made through it is the same.
  return socket as unknown as ProgressSocket;
};
