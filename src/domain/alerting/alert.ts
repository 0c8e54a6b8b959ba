import type { AlertRuleType } from './rule-types.js';

/** How urgent an alert is; a queue's priority sets it unless its rule says otherwise. */
export type AlertSeverity = 'critical' | 'high' | 'medium' | 'low';

/** Every severity, most urgent first. */
export const alertSeverities: readonly AlertSeverity[] = ['critical', 'high', 'medium', 'low'];

/** Is `severity` at least as urgent as `minimum`? */
export function atLeast(severity: AlertSeverity, minimum: AlertSeverity): boolean {
  return alertSeverities.indexOf(severity) <= alertSeverities.indexOf(minimum);
}

/** The most urgent of `severities` (`low` for none). */
export function mostUrgent(severities: readonly AlertSeverity[]): AlertSeverity {
  return alertSeverities.find((severity) => severities.includes(severity)) ?? 'low';
}

export { alertRuleTypes, type AlertRuleType } from './rule-types.js';

/** One value an alert was judged on, as measured or as its threshold. */
export type AlertValue = number | string | boolean | null;

/**
 * What an alert is about: the queue (`redis` for Redis rules), and for the failure-rate rule the
 * failures and the window they were counted over.
 */
export interface AlertContext {
  readonly queueName: string;
  readonly failureCount?: number;
  readonly threshold?: number;
  readonly windowMs?: number;
  readonly recentJobId?: string | null;
  readonly error?: string | null;
}

/** One alert notification, firing or resolved, with its incident id, status and times. */
export interface Alert {
  /** Stable for one incident: the same id on its firing and its resolved notice. */
  readonly id: string;
  readonly status: 'firing' | 'resolved';
  readonly severity: AlertSeverity;
  readonly title: string;
  readonly message: string;
  /** The rule that raised it. */
  readonly rule: AlertRuleType;
  /**
   * What routes, groups, silences and inhibits it: always `rule` and `severity`, `queue` when it
   * is about a queue, and the queue's own labels.
   */
  readonly labels: Readonly<Record<string, string>>;
  /** The values that tripped it: what was measured and the thresholds it was judged against. */
  readonly values: Readonly<Record<string, AlertValue>>;
  /** The dashboard page that shows what tripped it (a path, or a URL with `alerts.dashboardUrl`). */
  readonly link: string | null;
  /** `false`: recorded and shown as firing, never sent to a destination (left out: sent). */
  readonly notify?: boolean;
  readonly context: AlertContext;
  /** ISO-8601. */
  readonly startsAt: string;
  /** ISO-8601; set on a resolved notice. */
  readonly endsAt?: string;
  /** A grouped notification: the alerts it lists, each with its own status. */
  readonly alerts?: readonly MemberAlert[];
}

/** One alert as a grouped notification lists it. */
export type MemberAlert = Omit<Alert, 'alerts'>;

/** The labels every alert carries, before a queue's own. */
export function baseLabels(
  rule: AlertRuleType,
  severity: AlertSeverity,
  queueName: string | null,
  queueLabels: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return {
    ...queueLabels,
    rule,
    severity,
    ...(queueName === null ? {} : { queue: queueName }),
  };
}
