import type { Alert } from '../../domain/alerting/alert.js';

/** What happened when a destination was asked to deliver an alert. */
export type DeliveryResult =
  | { readonly outcome: 'delivered' }
  | {
      readonly outcome: 'failed';
      /** Worth trying again later (timeout, 5xx, 429, network); `false` means give up now. */
      readonly retryable: boolean;
      /** Why, in words fit for the log and the API; never contains a secret. */
      readonly reason: string;
      /** The destination asked to wait this long before the next try (Retry-After), in ms. */
      readonly retryAfterMs?: number;
    };

/** One delivery attempt of one alert to one destination. */
export interface DeliveryAttempt {
  /** Stable across the retries of this alert to this destination (e.g. Standard Webhooks' webhook-id). */
  readonly id: string;
  /** 1 for the first try. */
  readonly attempt: number;
}

/**
 * One alert destination (AlertPort). A destination only classifies the outcome of one try: it
 * never retries, never sleeps and never throws for an expected failure; retry and backoff live
 * once, in the outbox.
 */
export interface AlertPort {
  /** Unique among the configured destinations, e.g. `slack` or `ops-webhook`. */
  readonly name: string;
  /** The destination type: `log`, `slack`, `webhook`, or `module`. */
  readonly type: string;
  send(alert: Alert, attempt: DeliveryAttempt): Promise<DeliveryResult>;
}
