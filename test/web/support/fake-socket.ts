import type { SubscriptionChangeAck } from '../../../src/application/contract/index.js';
import type {
  ProgressSocket,
  ProgressSocketEvents,
  ProgressSocketFactory,
} from '../../../web/src/socket/progress-socket.js';

/** A request the fake socket was sent. */
export interface SentRequest {
  readonly event: string;
  readonly payload: unknown;
}

type Listener = (...args: never[]) => void;

/**
 * A socket without a server: the test says when it connects, drops, or pushes an event, and reads
 * what the dashboard sent. Every subscription is acknowledged (asynchronously, as over a wire).
 */
export class FakeSocket implements ProgressSocket {
  connected = false;
  closed = false;
  /** How often the dashboard asked the socket to connect (again). */
  connectCalls = 0;
  readonly sent: SentRequest[] = [];
  private readonly refusals: {
    code: 'QW_INVALID_PAYLOAD' | 'QW_SUBSCRIPTION_LIMIT';
    message: string;
  }[] = [];
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(private readonly tokenOf: () => string | null) {}

  /** The token the next handshake would send. */
  get token(): string | null {
    return this.tokenOf();
  }

  on<E extends keyof ProgressSocketEvents>(event: E, listener: ProgressSocketEvents[E]): this {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener);
    return this;
  }

  off<E extends keyof ProgressSocketEvents>(event: E, listener: ProgressSocketEvents[E]): this {
    this.listeners.get(event)?.delete(listener);
    return this;
  }

  emit(event: string, ...args: unknown[]): this {
    const [payload, ack] = args;
    this.sent.push({ event, payload });
    if (typeof ack === 'function') {
      const reply = this.answer(payload);
      queueMicrotask(() => {
        (ack as (reply: SubscriptionChangeAck) => void)(reply);
      });
    }
    return this;
  }

  connect(): this {
    this.connectCalls += 1;
    this.closed = false;
    return this;
  }

  disconnect(): this {
    this.closed = true;
    if (this.connected) this.drops('io client disconnect');
    this.connected = false;
    return this;
  }

  /**
   * What the gateway would acknowledge: the subscription named, as changed (the fake keeps no
   * set), or the refusal the test set with `refuseNext`.
   */
  private answer(payload: unknown): SubscriptionChangeAck {
    const refusal = this.refusals.shift();
    if (refusal) return { ok: false, error: refusal };
    const { jobId, queueName } = payload as { jobId?: string; queueName?: string };
    return {
      ok: true,
      changed: true,
      subscription:
        jobId === undefined
          ? { queueName: queueName ?? '*' }
          : { jobId, queueName: queueName ?? null },
      count: 1,
    };
  }

  /** The next request is refused with this error. */
  refuseNext(code: 'QW_INVALID_PAYLOAD' | 'QW_SUBSCRIPTION_LIMIT', message: string): void {
    this.refusals.push({ code, message });
  }

  /** The server accepted the connection (first time or again). */
  serverConnects(): void {
    this.connected = true;
    this.fire('connect');
  }

  /** The connection broke. */
  drops(reason = 'transport close'): void {
    this.connected = false;
    this.fire('disconnect', reason);
  }

  /** The server refused the connection. */
  refuses(message: string, code?: string): void {
    this.fire('connect_error', Object.assign(new Error(message), { data: { code } }));
  }

  /** The server pushed an event. */
  push<E extends keyof ProgressSocketEvents>(
    event: E,
    ...args: Parameters<ProgressSocketEvents[E]>
  ): void {
    this.fire(event, ...args);
  }

  /** How many listeners are attached (0 once the dashboard let go). */
  get listenerCount(): number {
    let count = 0;
    for (const set of this.listeners.values()) count += set.size;
    return count;
  }

  /** The requests sent with this event name. */
  requests(event: string): unknown[] {
    return this.sent.filter((request) => request.event === event).map((request) => request.payload);
  }

  private fire(event: string, ...args: unknown[]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) {
      (listener as (...values: unknown[]) => void)(...args);
    }
  }
}

/** A socket factory that records every socket it opened. */
export function fakeSockets(): { factory: ProgressSocketFactory; opened: FakeSocket[] } {
  const opened: FakeSocket[] = [];
  return {
    opened,
    factory: (token) => {
      const socket = new FakeSocket(token);
      opened.push(socket);
      return socket;
    },
  };
}
