import { webhookId } from '../../src/adapters/alerting/webhook/webhook-destination.js';
import type { AlertsBody } from '../../src/application/contract/alerts.js';
import type { ReceivedNotice } from './webhook-receiver.js';

/** One incident as the receiver saw it. */
export interface IncidentSeen {
  readonly alertId: string;
  /** Statuses of its distinct notices in arrival order, e.g. `firing → resolved`. */
  readonly statuses: readonly string[];
  /** Arrival of its first and last notice, ms since the epoch. */
  readonly firstAt: number;
  readonly lastAt: number;
  /** firing (repeats allowed) then exactly one resolved, last. */
  readonly inOrder: boolean;
}

/** The webhook's notices against themselves and against `GET /api/v1/alerts`. */
export interface AlertCheck {
  readonly received: number;
  readonly firing: number;
  readonly resolved: number;
  /** Requests whose `webhook-id` had been received before. */
  readonly duplicates: number;
  readonly badSignatures: number;
  readonly incidents: readonly IncidentSeen[];
  readonly outOfOrder: number;
  /** Incidents without a resolved notice when the run ended. */
  readonly unresolved: number;
  /** Notices in Queuewatch's alert log (it keeps the latest 500). */
  readonly logged: number;
  /** Of those, marked delivered to the bench's destination. */
  readonly loggedDelivered: number;
  /** Logged notices the receiver never got, and received ones the log does not list. */
  readonly loggedNotReceived: number;
  readonly receivedNotLogged: number;
}

/**
 * Check the notices one destination received: no `webhook-id` twice, each incident's notices
 * firing then resolved, every signature valid; then compare with Queuewatch's own log, whose
 * record key + destination name is the delivery id the webhook-id is made from.
 */
export function checkAlertNotices(
  notices: readonly ReceivedNotice[],
  log: AlertsBody,
  destination: string,
): AlertCheck {
  const distinct = new Map<string, ReceivedNotice>();
  for (const notice of notices)
    if (!distinct.has(notice.webhookId)) distinct.set(notice.webhookId, notice);
  const byIncident = new Map<string, ReceivedNotice[]>();
  for (const notice of distinct.values()) {
    const list = byIncident.get(notice.alertId) ?? [];
    list.push(notice);
    byIncident.set(notice.alertId, list);
  }
  const incidents = [...byIncident].map(([alertId, list]): IncidentSeen => {
    const statuses = list.map((notice) => notice.status);
    const lastResolved = statuses.indexOf('resolved') === statuses.length - 1;
    const firingBefore = statuses.slice(0, -1).every((status) => status === 'firing');
    return {
      alertId,
      statuses,
      firstAt: list[0]?.receivedAt ?? 0,
      lastAt: list.at(-1)?.receivedAt ?? 0,
      inOrder: statuses.length >= 2 && lastResolved && firingBefore,
    };
  });
  const loggedIds = new Set(log.alerts.map((record) => webhookId(`${record.key}/${destination}`)));
  const delivered = log.alerts.filter((record) =>
    record.deliveries.some(
      (delivery) => delivery.destination === destination && delivery.state === 'delivered',
    ),
  );
  const statuses = [...distinct.values()].map((notice) => notice.status);
  return {
    received: notices.length,
    firing: statuses.filter((status) => status === 'firing').length,
    resolved: statuses.filter((status) => status === 'resolved').length,
    duplicates: notices.length - distinct.size,
    badSignatures: notices.filter((notice) => !notice.signatureValid).length,
    incidents,
    outOfOrder: incidents.filter((incident) => !incident.inOrder).length,
    unresolved: incidents.filter((incident) => !incident.statuses.includes('resolved')).length,
    logged: log.alerts.length,
    loggedDelivered: delivered.length,
    loggedNotReceived: [...loggedIds].filter((id) => !distinct.has(id)).length,
    receivedNotLogged: [...distinct.keys()].filter((id) => !loggedIds.has(id)).length,
  };
}
