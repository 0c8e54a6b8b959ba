import type { Alert, MemberAlert } from '../../domain/alerting/alert.js';
import type { MatchOperator } from '../../domain/alerting/label-matcher.js';
import type { SilenceStatus } from '../../domain/alerting/silence.js';
import type { AlertRecord, DeliveryStatus, Suppression } from '../ports/alert-log.port.js';

/** A configured destination as the API shows it: secrets redacted. */
export interface DestinationSummary {
  readonly name: string;
  readonly type: string;
  readonly minSeverity: string;
  readonly queues: readonly string[] | null;
  /** The destination's options with every secret replaced by "[redacted]". */
  readonly options: Readonly<Record<string, unknown>>;
}

/**
 * The body of `GET /api/v1/alerts`: recent notifications (newest first) with their deliveries,
 * and alerts that were recorded but not sent (`suppressed`: silenced or inhibited).
 */
export interface AlertsBody {
  readonly alerts: readonly AlertRecord[];
  readonly destinations: readonly DestinationSummary[];
}

/** One alert firing now, as every instance sees it, and whether it is held back. */
export interface FiringAlertBody {
  readonly alert: MemberAlert;
  /** Silence ids that match it now. */
  readonly silencedBy: readonly string[];
  /** Ids of the firing alerts that inhibit it now. */
  readonly inhibitedBy: readonly string[];
}

/** The body of `GET /api/v1/alerts/firing`: every firing alert, most urgent first. */
export interface FiringAlertsBody {
  readonly alerts: readonly FiringAlertBody[];
}

/** A silence's matcher on the wire: `{ label: "queue", op: "=~", value: "pay.*" }`. */
export interface MatcherBody {
  readonly label: string;
  readonly op: MatchOperator;
  readonly value: string;
}

/** One silence as `GET /api/v1/silences` shows it. */
export interface SilenceBody {
  readonly id: string;
  readonly matchers: readonly MatcherBody[];
  /** ISO-8601. */
  readonly startsAt: string;
  readonly endsAt: string;
  readonly comment: string;
  /** The token name that created it (`anonymous` without auth). */
  readonly createdBy: string;
  readonly createdAt: string;
  readonly status: SilenceStatus;
}

/** The body of `GET /api/v1/silences`: active and pending first, then recently expired. */
export interface SilencesBody {
  readonly silences: readonly SilenceBody[];
}

/** The body of `POST /api/v1/silences`; `startsAt` defaults to now. */
export interface CreateSilenceRequest {
  readonly matchers: readonly MatcherBody[];
  readonly startsAt?: string;
  readonly endsAt: string;
  readonly comment: string;
}

/** One destination's answer to a test alert. */
export interface TestDeliveryResult {
  readonly destination: string;
  readonly type: string;
  readonly outcome: 'delivered' | 'failed';
  readonly retryable?: boolean;
  readonly reason?: string;
}

/**
 * The body of `POST /api/v1/alerts/test`. The request may carry `{ labels }` (e.g.
 * `{ "queue": "payments", "rule": "backlog", "severity": "high" }`): the test alert goes through
 * the routing tree with them, and only the destinations its routes name are sent to. Without a
 * body every destination is sent to, as before.
 */
export interface TestAlertBody {
  readonly alert: Alert;
  /** The routes the test alert matched, each with its destinations; `null` without labels. */
  readonly routes:
    readonly { readonly route: string; readonly destinations: readonly string[] }[] | null;
  readonly results: readonly TestDeliveryResult[];
}

export type { Alert, AlertRecord, MemberAlert, DeliveryStatus, Suppression };
