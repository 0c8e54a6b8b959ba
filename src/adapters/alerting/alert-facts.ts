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
    { name: 'Rule', value: alert.rule },
  ];
  if (context.failureCount !== undefined) {
    facts.push({ name: 'Failures', value: String(context.failureCount) });
    if (context.threshold !== undefined) {
      facts.push({ name: 'Threshold', value: String(context.threshold) });
    }
    if (context.windowMs !== undefined) {
      facts.push({ name: 'Window', value: duration(context.windowMs) });
    }
  } else {
    for (const [name, value] of Object.entries(alert.values)) {
      if (value !== null) facts.push({ name: factName(name), value: factValue(name, value) });
    }
  }
  const members = alert.alerts ?? [];
  if (members.length > 1) {
    facts.push({
      name: 'Alerts',
      value: members
        .map(
          (member) =>
            `${member.status === 'resolved' ? 'resolved' : 'firing'}: ${member.title} (${member.context.queueName})`,
        )
        .join('; '),
    });
  }
  if (typeof context.recentJobId === 'string')
    facts.push({ name: 'Recent job', value: context.recentJobId });
  if (typeof context.error === 'string')
    facts.push({ name: 'Error', value: cut(context.error, 500) });
  facts.push({ name: 'Started', value: alert.startsAt });
  if (alert.endsAt !== undefined) facts.push({ name: 'Resolved', value: alert.endsAt });
  if (alert.link !== null) facts.push({ name: 'Dashboard', value: alert.link });
  return facts;
}

/** `oldestWaitingMs` → `Oldest waiting`. */
function factName(name: string): string {
  const words = name
    .replace(/Ms$|Seconds$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A value as people read it: durations in their unit, fractions as percentages. */
function factValue(name: string, value: string | number | boolean): string {
  if (typeof value !== 'number') return String(value);
  if (name.endsWith('Ms')) return duration(Math.round(value));
  if (name.endsWith('Seconds')) return duration(Math.round(value * 1000));
  if (/(Rate|Fraction)$|^fraction$|^rate$/.test(name)) return `${(value * 100).toFixed(1)}%`;
  return String(value);
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
