import type { Alert } from '../../domain/alerting/alert.js';
import type { AlertRecord, DeliveryStatus } from '../ports/alert-log.port.js';

/** A configured destination as the API shows it: secrets redacted. */
export interface DestinationSummary {
  readonly name: string;
  readonly type: string;
  readonly minSeverity: string;
  readonly queues: readonly string[] | null;
  /** The destination's options with every secret replaced by "[redacted]". */
  readonly options: Readonly<Record<string, unknown>>;
}

/** The body of `GET /api/v1/alerts`. */
export interface AlertsBody {
  readonly alerts: readonly AlertRecord[];
  readonly destinations: readonly DestinationSummary[];
}

/** One destination's answer to `POST /api/v1/alerts/test`. */
export interface TestDeliveryResult {
  readonly destination: string;
  readonly type: string;
  readonly outcome: 'delivered' | 'failed';
  readonly retryable?: boolean;
  readonly reason?: string;
}

/** The body of `POST /api/v1/alerts/test`. */
export interface TestAlertBody {
  readonly alert: Alert;
  readonly results: readonly TestDeliveryResult[];
}

export type { Alert, AlertRecord, DeliveryStatus };
