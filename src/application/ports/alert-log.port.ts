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

/** A sent alert with its delivery to each destination. */
export interface AlertRecord {
  /** The notification id (alert id + transition). */
  readonly key: string;
  readonly alert: Alert;
  readonly deliveries: readonly DeliveryStatus[];
}

/** Recent alerts and their delivery status, shared by every instance. */
export interface AlertLog {
  add(key: string, alert: Alert, destinations: readonly string[], at: number): Promise<void>;
  update(key: string, status: DeliveryStatus): Promise<void>;
  /** Newest first. */
  recent(limit: number): Promise<AlertRecord[]>;
}
