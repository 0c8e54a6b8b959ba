import type { Alert } from '../../domain/alerting/alert.js';

/** One alert on its way to one destination. */
export interface AlertNotification {
  /** Stable across retries: `<alert id>/<transition sequence>/<destination>`. */
  readonly deliveryId: string;
  readonly destination: string;
  readonly alert: Alert;
}

/** The durable queue of notifications; delivery, retries and backoff happen behind it. */
export interface AlertOutbox {
  /** Queue each notification; one already queued (same deliveryId) is not queued twice. */
  enqueue(notifications: readonly AlertNotification[]): Promise<void>;
}
