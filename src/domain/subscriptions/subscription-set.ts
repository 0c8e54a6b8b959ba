import { anyQueue, jobRoom, queueRoom } from './rooms.js';

/** One job subscription: the job in a queue, or with `queueName: null` the job id in any queue. */
export interface JobSubscription {
  readonly jobId: string;
  readonly queueName: string | null;
}

/** One queue subscription: every job of the queue, or with `queueName: "*"` of every queue. */
export interface QueueSubscription {
  readonly queueName: string;
}

/** One subscription, as a request names it. */
export type Subscription = JobSubscription | QueueSubscription;

/** What one client is subscribed to, as `get-subscriptions` reports it. */
export interface SubscriptionView {
  readonly jobs: readonly JobSubscription[];
  readonly queues: readonly string[];
  /** Subscribed to every queue (`subscribe-to-queue "*"`). */
  readonly all: boolean;
}

/**
 * The outcome of a request: the subscription it named, whether the set changed (a subscription
 * already held, or one not held, changes nothing), how many the set holds now and the room to
 * join or leave; or why it was refused.
 */
export type SubscriptionChange =
  | {
      readonly ok: true;
      readonly subscription: Subscription;
      readonly changed: boolean;
      readonly count: number;
      readonly join?: string;
      readonly leave?: string;
    }
  | { readonly ok: false; readonly code: 'QW_SUBSCRIPTION_LIMIT'; readonly message: string };

/** One client's subscriptions, at most `limit` of them (jobs + queues, `*` counts as one). */
export class SubscriptionSet {
  private readonly jobs = new Map<string, JobSubscription>();
  private readonly queues = new Set<string>();

  constructor(private readonly limit: number) {}

  subscribeJob(jobId: string, queueName: string | null): SubscriptionChange {
    const subscription: JobSubscription = { jobId, queueName };
    const room = jobRoom(queueName, jobId);
    if (this.jobs.has(room)) return this.outcome(subscription);
    if (this.size >= this.limit) return this.refuse();
    this.jobs.set(room, subscription);
    return this.outcome(subscription, { join: room });
  }

  unsubscribeJob(jobId: string, queueName: string | null): SubscriptionChange {
    const room = jobRoom(queueName, jobId);
    return this.jobs.delete(room)
      ? this.outcome({ jobId, queueName }, { leave: room })
      : this.outcome({ jobId, queueName });
  }

  subscribeQueue(queueName: string): SubscriptionChange {
    if (this.queues.has(queueName)) return this.outcome({ queueName });
    if (this.size >= this.limit) return this.refuse();
    this.queues.add(queueName);
    return this.outcome({ queueName }, { join: queueRoom(queueName) });
  }

  unsubscribeQueue(queueName: string): SubscriptionChange {
    return this.queues.delete(queueName)
      ? this.outcome({ queueName }, { leave: queueRoom(queueName) })
      : this.outcome({ queueName });
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

  /** A request that was not refused; it changed the set when it has a room to join or leave. */
  private outcome(
    subscription: Subscription,
    room?: { readonly join: string } | { readonly leave: string },
  ): SubscriptionChange {
    return { ok: true, subscription, changed: room !== undefined, count: this.size, ...room };
  }

  private refuse(): SubscriptionChange {
    return {
      ok: false,
      code: 'QW_SUBSCRIPTION_LIMIT',
      message: `a connection may hold at most ${String(this.limit)} subscriptions; unsubscribe from some first`,
    };
  }
}
