import type { Alert } from '../../domain/alerting/alert.js';

/** Where one notification to one destination stands. */
export interface DeliveryStatus {
  readonly destination: string;
  readonly state: 'pending' | 'delivered' | 'retrying' | 'failed';
  readonly attempts: number;
  readonly lastError: string | null;
  /** ISO-8601. */
  readonly updatedAt: string;
}

/** Why an alert was recorded but not sent. */
export interface Suppression {
  /** The ids of the silences that matched it. */
  readonly silencedBy: readonly string[];
  /** The ids of the firing alerts that inhibited it. */
  readonly inhibitedBy: readonly string[];
}

/** A sent notification with its delivery to each destination, or an alert held back. */
export interface AlertRecord {
  /** The notification id (alert id + transition). */
  readonly key: string;
  readonly alert: Alert;
  readonly deliveries: readonly DeliveryStatus[];
  /** Set when the alert was silenced or inhibited: recorded, sent nowhere. */
  readonly suppressed?: Suppression;
}

/** Recent alerts and their delivery status, shared by every instance. */
export interface AlertLog {
  add(key: string, alert: Alert, destinations: readonly string[], at: number): Promise<void>;
  /** Record an alert that was held back, once per key. */
  addSuppressed(key: string, alert: Alert, suppressed: Suppression, at: number): Promise<void>;
  update(key: string, status: DeliveryStatus): Promise<void>;
  /** Newest first. */
  recent(limit: number): Promise<AlertRecord[]>;
}
