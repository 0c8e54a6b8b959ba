import { anyQueue, jobRoom, queueRoom } from './rooms.js';

/** What one client is subscribed to, as `get-subscriptions` reports it. */
export interface SubscriptionView {
  readonly jobs: readonly { readonly jobId: string; readonly queueName: string | null }[];
  readonly queues: readonly string[];
  /** Subscribed to every queue (`subscribe-to-queue "*"`). */
  readonly all: boolean;
}

/** The outcome of a change: the room to join or leave, or why it was refused. */
export type SubscriptionChange =
  | { readonly ok: true; readonly join?: string; readonly leave?: string }
  | { readonly ok: false; readonly code: 'QW_SUBSCRIPTION_LIMIT'; readonly message: string };

/** One client's subscriptions, at most `limit` of them (jobs + queues, `*` counts as one). */
export class SubscriptionSet {
  private readonly jobs = new Map<string, { jobId: string; queueName: string | null }>();
  private readonly queues = new Set<string>();

  constructor(private readonly limit: number) {}

  subscribeJob(jobId: string, queueName: string | null): SubscriptionChange {
    const room = jobRoom(queueName, jobId);
    if (this.jobs.has(room)) return { ok: true };
    if (this.size >= this.limit) return this.refuse();
    this.jobs.set(room, { jobId, queueName });
    return { ok: true, join: room };
  }

  unsubscribeJob(jobId: string, queueName: string | null): SubscriptionChange {
    const room = jobRoom(queueName, jobId);
    return this.jobs.delete(room) ? { ok: true, leave: room } : { ok: true };
  }

  subscribeQueue(queueName: string): SubscriptionChange {
    if (this.queues.has(queueName)) return { ok: true };
    if (this.size >= this.limit) return this.refuse();
    this.queues.add(queueName);
    return { ok: true, join: queueRoom(queueName) };
  }

  unsubscribeQueue(queueName: string): SubscriptionChange {
    return this.queues.delete(queueName) ? { ok: true, leave: queueRoom(queueName) } : { ok: true };
  }

  view(): SubscriptionView {
    return {
      jobs: [...this.jobs.values()],
      queues: [...this.queues].filter((name) => name !== anyQueue),
      all: this.queues.has(anyQueue),
    };
  }

  /** The rooms these subscriptions join. */
  rooms(): string[] {
    return [...this.jobs.keys(), ...[...this.queues].map((name) => queueRoom(name))];
  }

  get size(): number {
    return this.jobs.size + this.queues.size;
  }

  private refuse(): SubscriptionChange {
    return {
      ok: false,
      code: 'QW_SUBSCRIPTION_LIMIT',
      message: `a connection may hold at most ${String(this.limit)} subscriptions; unsubscribe from some first`,
    };
  }
}
