import type {
  BatchedEvent,
  SubscriptionChangeAck,
} from '../../../src/application/contract/index.js';
import type { ConsoleEvent, ConsoleServerEvents } from '../api/console-wire.js';
import { subscriptionKey, type ProgressEvent, type Subscription } from './progress-event.js';
import type {
  ConnectError,
  ProgressSocket,
  ProgressSocketFactory,
  SocketRequests,
} from './progress-socket.js';

/** Whether pushed updates flow, and the last reason they do not. */
export interface ConnectionState {
  readonly connected: boolean;
  readonly error: string | null;
}

/** What a holder of the connection hears. */
export interface ProgressListener {
  onState?: (state: ConnectionState) => void;
  onEvent?: (event: ProgressEvent) => void;
  /** The gateway acknowledged one of this holder's subscriptions (again after each reconnect). */
  onSubscribed?: (subscription: Subscription) => void;
  /** A console event (a job's log lines, a bulk action's progress). */
  onConsoleEvent?: (event: ConsoleEvent) => void;
}

/** One holder's share of the connection; `release()` gives it back with its subscriptions. */
export interface ProgressLease {
  subscribe(subscription: Subscription): void;
  unsubscribe(subscription: Subscription): void;
  release(): void;
  /**
   * Send a request that is not a counted subscription (a job's log): `false`, and nothing sent,
   * while the socket is down. The holder sends it again when `onState` says it is back.
   */
  request<E extends keyof SocketRequests>(
    event: E,
    ...args: Parameters<SocketRequests[E]>
  ): boolean;
}

/** Settings of a connection. */
export interface ProgressConnectionOptions {
  readonly token?: string | null;
  /** Called when the gateway refuses the socket for want of a valid token. */
  readonly onUnauthorized?: (message: string) => void;
}

interface Holder {
  readonly listener: ProgressListener;
  readonly keys: Set<string>;
  released: boolean;
}

interface Entry {
  readonly subscription: Subscription;
  readonly holders: Set<Holder>;
  acked: boolean;
}

const serverEvents = ['job-progress', 'job-completed', 'job-failed', 'custom-progress'] as const;
const consoleEvents: readonly (keyof ConsoleServerEvents)[] = ['job-log', 'operation-progress'];

/**
 * One Socket.IO connection to the progress gateway, shared by every component of a page: opened
 * by the first holder, closed when the last one lets go. Subscriptions are counted per holder,
 * sent once, and sent again after every reconnect (the server forgets them with the socket).
 */
export class ProgressConnection {
  private socket: ProgressSocket | undefined;
  private unbind: (() => void) | undefined;
  /** Bumped on every open and connect, so late acknowledgements of an old socket are ignored. */
  private epoch = 0;
  private token: string | null;
  private current: ConnectionState = { connected: false, error: null };
  private readonly holders = new Set<Holder>();
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly factory: ProgressSocketFactory,
    private readonly options: ProgressConnectionOptions = {},
  ) {
    this.token = options.token ?? null;
  }

  /** The connection as it stands. */
  get state(): ConnectionState {
    return this.current;
  }

  /** How many holders share the connection (for tests and diagnostics). */
  get holderCount(): number {
    return this.holders.size;
  }

  /** Join the connection (opening it if nobody holds it yet). */
  acquire(listener: ProgressListener): ProgressLease {
    const holder: Holder = { listener, keys: new Set(), released: false };
    this.holders.add(holder);
    if (!this.socket) this.open();
    return {
      subscribe: (subscription) => {
        if (!holder.released) this.add(holder, subscription);
      },
      unsubscribe: (subscription) => {
        this.remove(holder, subscriptionKey(subscription));
      },
      release: () => {
        if (holder.released) return;
        holder.released = true;
        for (const key of [...holder.keys]) this.remove(holder, key);
        this.holders.delete(holder);
        if (this.holders.size === 0) this.close();
      },
      request: (event, ...args) => {
        const socket = this.socket;
        if (holder.released || !socket?.connected) return false;
        socket.emit(event, ...args);
        return true;
      },
    };
  }

  /** Use another token: the socket connects again with it (a refused one is not retried alone). */
  setToken(token: string | null): void {
    if (token === this.token) return;
    this.token = token;
    const socket = this.socket;
    if (!socket) return;
    if (socket.connected) socket.disconnect();
    socket.connect();
  }

  private open(): void {
    const socket = this.factory(() => this.token);
    this.socket = socket;
    this.epoch += 1;
    let connectedBefore = false;
    const onConnect = (): void => {
      this.epoch += 1;
      this.setState({ connected: true, error: null });
      // After a reconnect, each job is brought up to date: an ending missed meanwhile is sent.
      for (const entry of this.entries.values()) this.send(socket, entry, connectedBefore);
      connectedBefore = true;
    };
    const onDisconnect = (reason: string): void => {
      for (const entry of this.entries.values()) entry.acked = false;
      // Our own disconnect (to send a new token) is no error worth showing.
      const error = reason === 'io client disconnect' ? null : `connection lost (${reason})`;
      this.setState({ connected: false, error });
      // Socket.IO retries by itself except when the server closed the socket on purpose.
      if (reason === 'io server disconnect') socket.connect();
    };
    const onConnectError = (error: ConnectError): void => {
      this.setState({ connected: false, error: error.message });
      if (isUnauthorized(error)) this.options.onUnauthorized?.(error.message);
    };
    const relays = serverEvents.map((type) => {
      const relay = (payload: unknown): void => {
        this.dispatch({ type, payload } as ProgressEvent);
      };
      socket.on(type, relay);
      return () => socket.off(type, relay);
    });
    // A batch holds events exactly as they would have come one by one, in order.
    const relayBatch = (batch: readonly BatchedEvent[]): void => {
      for (const [type, payload] of batch) this.dispatch({ type, payload } as ProgressEvent);
    };
    socket.on('events', relayBatch);
    relays.push(() => socket.off('events', relayBatch));
    for (const type of consoleEvents) {
      const relay = (payload: unknown): void => {
        const event = { type, payload } as ConsoleEvent;
        for (const holder of [...this.holders]) holder.listener.onConsoleEvent?.(event);
      };
      socket.on(type, relay);
      relays.push(() => socket.off(type, relay));
    }
    socket.on('connect', onConnect);
    socket.on('disconnect', onDisconnect);
    socket.on('connect_error', onConnectError);
    this.unbind = () => {
      socket.off('connect', onConnect);
      socket.off('disconnect', onDisconnect);
      socket.off('connect_error', onConnectError);
      for (const off of relays) off();
    };
    if (socket.connected) onConnect();
  }

  private close(): void {
    this.unbind?.();
    this.socket?.disconnect();
    this.socket = undefined;
    this.unbind = undefined;
    for (const entry of this.entries.values()) entry.acked = false;
    this.setState({ connected: false, error: null });
  }

  private add(holder: Holder, subscription: Subscription): void {
    const key = subscriptionKey(subscription);
    if (holder.keys.has(key)) return;
    holder.keys.add(key);
    const existing = this.entries.get(key);
    if (existing) {
      existing.holders.add(holder);
      if (existing.acked) holder.listener.onSubscribed?.(existing.subscription);
      return;
    }
    const entry: Entry = { subscription, holders: new Set([holder]), acked: false };
    this.entries.set(key, entry);
    if (this.socket?.connected) this.send(this.socket, entry);
  }

  private remove(holder: Holder, key: string): void {
    if (!holder.keys.delete(key)) return;
    const entry = this.entries.get(key);
    if (!entry) return;
    entry.holders.delete(holder);
    if (entry.holders.size > 0) return;
    this.entries.delete(key);
    const socket = this.socket;
    if (!socket?.connected) return;
    const { subscription } = entry;
    if (subscription.kind === 'job') {
      socket.emit('unsubscribe-from-job', jobRequest(subscription));
    } else {
      socket.emit('unsubscribe-from-queue', { queueName: subscription.queueName });
    }
  }

  private send(socket: ProgressSocket, entry: Entry, resume = false): void {
    const epoch = this.epoch;
    const ack = (reply: SubscriptionChangeAck): void => {
      if (epoch !== this.epoch || !entry.holders.size) return;
      if (!reply.ok) {
        this.setState({ ...this.current, error: reply.error.message });
        return;
      }
      entry.acked = true;
      for (const holder of [...entry.holders]) holder.listener.onSubscribed?.(entry.subscription);
    };
    const { subscription } = entry;
    if (subscription.kind === 'job') {
      const request = jobRequest(subscription);
      socket.emit('subscribe-to-job', resume ? { ...request, resume } : request, ack);
    } else {
      socket.emit('subscribe-to-queue', { queueName: subscription.queueName }, ack);
    }
  }

  private dispatch(event: ProgressEvent): void {
    for (const holder of [...this.holders]) holder.listener.onEvent?.(event);
  }

  private setState(next: ConnectionState): void {
    if (next.connected === this.current.connected && next.error === this.current.error) return;
    this.current = next;
    for (const holder of [...this.holders]) holder.listener.onState?.(next);
  }
}

function jobRequest(subscription: Extract<Subscription, { kind: 'job' }>) {
  return subscription.queueName === undefined
    ? { jobId: subscription.jobId }
    : { jobId: subscription.jobId, queueName: subscription.queueName };
}

function isUnauthorized(error: ConnectError): boolean {
  const { data } = error;
  return (
    typeof data === 'object' && data !== null && 'code' in data && data.code === 'QW_UNAUTHORIZED'
  );
}
