import { io, type Socket } from 'socket.io-client';
import type {
  BatchedEvent,
  BatchedServerToClientEvents,
  ClientToServerEvents,
  ProgressHandshakeAuth,
  ServerEventName,
  ServerToClientEvents,
  SubscriptionChangeAck,
  SubscriptionListAck,
} from '../../src/application/contract/socket-events.js';

/** A typed client of the `/job-progress` namespace, per-event or batched. */
export type ProgressClient = Socket<
  ServerToClientEvents & BatchedServerToClientEvents,
  ClientToServerEvents
>;

/** One event a RecordingClient received. */
export interface Received {
  readonly name: ServerEventName;
  readonly payload: { jobId: string; queueName: string } & Record<string, unknown>;
}

const eventNames: ServerEventName[] = [
  'job-progress',
  'job-completed',
  'job-failed',
  'custom-progress',
];

/**
 * A connected client that records every event it receives, and can wait for one. A batched
 * client (`auth.delivery: 'batch'`) records each event of a batch as if it had come on its own.
 */
export class RecordingClient {
  readonly received: Received[] = [];
  /** The name of every packet that arrived (`events` for a batch), in order. */
  readonly packets: string[] = [];
  private readonly waiters: {
    match: (event: Received) => boolean;
    resolve: (event: Received) => void;
  }[] = [];

  private constructor(readonly socket: ProgressClient) {
    for (const name of eventNames) {
      socket.on(name, (payload: unknown) => {
        this.packets.push(name);
        this.record({ name, payload } as Received);
      });
    }
    socket.on('events', (batch: readonly BatchedEvent[]) => {
      this.packets.push('events');
      for (const [name, payload] of batch) this.record({ name, payload } as unknown as Received);
    });
  }

  private record(event: Received): void {
    this.received.push(event);
    for (const waiter of [...this.waiters]) {
      if (waiter.match(event)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(event);
      }
    }
  }

  /**
   * Connect to `<baseUrl>/job-progress` (Socket.IO at `options.path`, `/socket.io` by default,
   * over a WebSocket unless `options.transports` says otherwise); rejects with the server's refusal.
   */
  static async connect(
    baseUrl: string,
    auth?: ProgressHandshakeAuth,
    options: { path?: string; transports?: ('polling' | 'websocket')[] } = {},
  ): Promise<RecordingClient> {
    const socket: ProgressClient = io(`${baseUrl}/job-progress`, {
      transports: options.transports ?? ['websocket'],
      ...(options.path === undefined ? {} : { path: options.path }),
      reconnection: true,
      reconnectionDelay: 100,
      reconnectionDelayMax: 500,
      ...(auth ? { auth } : {}),
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => {
        resolve();
      });
      socket.once('connect_error', (error) => {
        socket.close();
        reject(error);
      });
    });
    return new RecordingClient(socket);
  }

  /** Send a request and wait for its acknowledgement. */
  request(
    name: Exclude<keyof ClientToServerEvents, 'get-subscriptions'>,
    payload: unknown,
  ): Promise<SubscriptionChangeAck> {
    return this.socket.timeout(5_000).emitWithAck(name, payload) as Promise<SubscriptionChangeAck>;
  }

  /** Ask for every subscription the connection holds (`get-subscriptions`). */
  subscriptions(): Promise<SubscriptionListAck> {
    return this.socket.timeout(5_000).emitWithAck('get-subscriptions');
  }

  /** Wait for an event that matches, received before or after the call. */
  next(match: (event: Received) => boolean, timeoutMs = 10_000): Promise<Received> {
    const already = this.received.find(match);
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new Error(
            `no matching event within ${String(timeoutMs)} ms; received: ${JSON.stringify(this.received.slice(-5))}`,
          ),
        );
      }, timeoutMs);
      this.waiters.push({
        match,
        resolve: (event) => {
          clearTimeout(timer);
          resolve(event);
        },
      });
    });
  }

  close(): void {
    this.socket.close();
  }
}

/** Matches an event by name and job. */
export function eventOf(name: ServerEventName, jobId: string) {
  return (event: Received): boolean => event.name === name && event.payload.jobId === jobId;
}
