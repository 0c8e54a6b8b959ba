import type { Alert, AlertSeverity } from '../../domain/alerting/alert.js';

/** One named value of an alert, as chat cards and incident tools list them. */
export interface AlertFact {
  readonly name: string;
  readonly value: string;
}

/** What tripped the alert and when, in the order destinations show it; absent values left out. */
export function alertFacts(alert: Alert): AlertFact[] {
  const { context } = alert;
  const facts: AlertFact[] = [
    { name: 'Queue', value: context.queueName },
    { name: 'Severity', value: alert.severity },
    { name: 'Failures', value: String(context.failureCount) },
    { name: 'Threshold', value: String(context.threshold) },
    { name: 'Window', value: duration(context.windowMs) },
  ];
  if (context.recentJobId !== null) facts.push({ name: 'Recent job', value: context.recentJobId });
  if (context.error !== null) facts.push({ name: 'Error', value: cut(context.error, 500) });
  facts.push({ name: 'Started', value: alert.startsAt });
  if (alert.endsAt !== undefined) facts.push({ name: 'Resolved', value: alert.endsAt });
  return facts;
}

/** `[RESOLVED] title` or `[CRITICAL] title`: a one-line headline. */
export function headline(alert: Alert): string {
  const label = alert.status === 'resolved' ? 'RESOLVED' : alert.severity.toUpperCase();
  return `[${label}] ${alert.title}`;
}

/** A colour per severity (and green once resolved), as 0xRRGGBB. */
export function alertColour(alert: Alert): number {
  if (alert.status === 'resolved') return 0x2e7d32;
  const colours: Record<AlertSeverity, number> = {
    critical: 0xc62828,
    high: 0xef6c00,
    medium: 0xf9a825,
    low: 0x1565c0,
  };
  return colours[alert.severity];
}

/** `300000` → `5 min`; the window is usually a whole number of some unit. */
export function duration(ms: number): string {
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${String(ms / 3_600_000)} h`;
  if (ms >= 60_000 && ms % 60_000 === 0) return `${String(ms / 60_000)} min`;
  if (ms >= 1000 && ms % 1000 === 0) return `${String(ms / 1000)} s`;
  return `${String(ms)} ms`;
}

/** At most `limit` characters, an ellipsis marking a cut. */
export function cut(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}
