/** How urgent an alert is; a queue's priority sets it. */
export type AlertSeverity = 'critical' | 'high' | 'medium' | 'low';

/** Every severity, most urgent first. */
export const alertSeverities: readonly AlertSeverity[] = ['critical', 'high', 'medium', 'low'];

/** Is `severity` at least as urgent as `minimum`? */
export function atLeast(severity: AlertSeverity, minimum: AlertSeverity): boolean {
  return alertSeverities.indexOf(severity) <= alertSeverities.indexOf(minimum);
}

/** What an alert is about: the queue, the failures, and the window they were counted over. */
export interface AlertContext {
  readonly queueName: string;
  readonly failureCount: number;
  readonly threshold: number;
  readonly windowMs: number;
  readonly recentJobId: string | null;
  readonly error: string | null;
}

/** One alert notification, firing or resolved, with its incident id, status and times. */
export interface Alert {
  /** Stable for one incident: the same id on its firing and its resolved notice. */
  readonly id: string;
  readonly status: 'firing' | 'resolved';
  readonly severity: AlertSeverity;
  readonly title: string;
  readonly message: string;
  readonly context: AlertContext;
  /** ISO-8601. */
  readonly startsAt: string;
  /** ISO-8601; set on a resolved notice. */
  readonly endsAt?: string;
}
