import type { Alert } from '../../domain/alerting/alert.js';

/** One alert on its way to one destination. */
export interface AlertNotification {
  /** Stable across retries: `<alert id>/<transition>/<destination>`. */
  readonly deliveryId: string;
  /** The alert log entry this notification updates (one per transition, for every destination). */
  readonly logKey: string;
  readonly destination: string;
  readonly alert: Alert;
}

/**
 * The durable queue of notifications; delivery, retries and backoff happen behind it.
 * Notifications of one incident (`alert.id`) reach each destination in the order they were
 * queued: a later one waits until the earlier one is delivered or given up.
 */
export interface AlertOutbox {
  /** Queue each notification; one already queued (same deliveryId) is not queued twice. */
  enqueue(notifications: readonly AlertNotification[]): Promise<void>;
  /** Start delivering, each try through `delivery`. */
  start(delivery: NotificationDelivery): void;
  /** Stop taking notifications; wait for the ones being delivered (up to a bound), then close. */
  close(): Promise<void>;
}

/** One try of one notification, and what to do next. */
export type AttemptOutcome =
  | { readonly next: 'done' }
  | { readonly next: 'retry'; readonly retryAfterMs?: number; readonly reason: string }
  | { readonly next: 'give-up'; readonly reason: string };

/** What the outbox runs for each try. */
export interface NotificationDelivery {
  attempt(
    notification: AlertNotification,
    attempt: number,
    lastAttempt: boolean,
  ): Promise<AttemptOutcome>;
}
