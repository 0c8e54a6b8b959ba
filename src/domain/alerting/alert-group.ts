import { mostUrgent, type Alert, type MemberAlert } from './alert.js';

/** One alert in a group: the incident it belongs to and its latest notice. */
export interface GroupMember {
  readonly incidentKey: string;
  readonly alert: MemberAlert;
}

/** What a group has sent so far. */
export interface GroupHistory {
  /** When it was last sent (ms); `null` before its first notification. */
  readonly lastSentAt: number | null;
  /** The members and statuses of the last notification (see `groupFingerprint`). */
  readonly lastFingerprint: string | null;
  /** Incidents the last notifications announced as firing: their resolution is news. */
  readonly announced: readonly string[];
  /** Incidents held back (silenced, inhibited) while they fired and never announced since. */
  readonly held: readonly string[];
}

/** Which members a notification says, and how: `payments=firing,emails=resolved`. */
export function groupFingerprint(members: readonly GroupMember[]): string {
  return members
    .map((member) => `${member.incidentKey}=${member.alert.status}`)
    .sort()
    .join(',');
}

/**
 * Whether a group's flush sends: something changed since the last notification, or it still
 * fires and the repeat interval has passed. An alert that fired and resolved within the group
 * wait is still sent, as resolved: a short burst of failures is news too. One that was held back
 * (silenced, inhibited) while it fired and never announced is not: its resolution is no news.
 */
export function flushDecision(
  sendable: readonly GroupMember[],
  history: GroupHistory,
  now: number,
  repeatIntervalMs: number,
): { readonly send: boolean; readonly members: readonly GroupMember[] } {
  const members = sendable.filter(
    (member) =>
      member.alert.status === 'firing' ||
      history.announced.includes(member.incidentKey) ||
      !history.held.includes(member.incidentKey),
  );
  if (members.length === 0) return { send: false, members };
  const changed = groupFingerprint(members) !== history.lastFingerprint;
  const firing = members.some((member) => member.alert.status === 'firing');
  const due = firing && history.lastSentAt !== null && now - history.lastSentAt >= repeatIntervalMs;
  return { send: changed || due, members };
}

/**
 * The notification of a group: one alert listing its members. Alone, a member is sent as it is
 * under the group's id; together, the headline counts them and the message lists each.
 */
export function groupNotification(
  group: {
    readonly id: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly createdAt: number;
  },
  members: readonly GroupMember[],
  now: number,
): Alert {
  const alerts = members.map((member) => member.alert);
  const firing = alerts.filter((alert) => alert.status === 'firing');
  const status = firing.length > 0 ? 'firing' : 'resolved';
  const startsAt = new Date(group.createdAt).toISOString();
  const ends = status === 'resolved' ? { endsAt: new Date(now).toISOString() } : {};
  const [only] = alerts;
  if (alerts.length === 1 && only) {
    return { ...only, id: group.id, status, startsAt, ...ends, alerts };
  }
  const queues = [...new Set(alerts.map((alert) => alert.context.queueName))];
  const rules = [...new Set(alerts.map((alert) => alert.rule))];
  const resolvedCount = alerts.length - firing.length;
  const counted = [
    firing.length > 0 ? `${String(firing.length)} firing` : null,
    resolvedCount > 0 ? `${String(resolvedCount)} resolved` : null,
  ]
    .filter((part) => part !== null)
    .join(', ');
  const about = rules.length === 1 && rules[0] ? rules[0] : 'Queuewatch';
  return {
    id: group.id,
    status,
    severity: mostUrgent((firing.length > 0 ? firing : alerts).map((alert) => alert.severity)),
    title: `${about} alerts: ${counted}`,
    message: alerts
      .map(
        (alert) =>
          `${alert.status === 'firing' ? '[FIRING]' : '[RESOLVED]'} ${alert.title}: ${alert.message}`,
      )
      .join('\n'),
    rule: rules.length === 1 && rules[0] ? rules[0] : (alerts[0]?.rule ?? 'test'),
    labels: group.labels,
    values: { firing: firing.length, resolved: resolvedCount },
    link: queues.length === 1 ? (alerts[0]?.link ?? null) : '/alerts',
    context: { queueName: queues.join(', ') },
    startsAt,
    ...ends,
    alerts,
  };
}
