import type { Alert, AlertSeverity } from '../../../domain/alerting/alert.js';
import { alertFacts, cut, headline } from '../alert-facts.js';

/** PagerDuty's severities (Events API v2, `payload.severity`). */
type PagerDutySeverity = 'critical' | 'error' | 'warning' | 'info';

const severityOf: Record<AlertSeverity, PagerDutySeverity> = {
  critical: 'critical',
  high: 'error',
  medium: 'warning',
  low: 'info',
};

/** An Events API v2 event: a trigger with its payload, or a resolve of the same `dedup_key`. */
export type PagerDutyEvent =
  | {
      readonly routing_key: string;
      readonly event_action: 'trigger';
      readonly dedup_key: string;
      readonly client: 'Queuewatch';
      readonly payload: {
        readonly summary: string;
        readonly source: string;
        readonly severity: PagerDutySeverity;
        readonly timestamp: string;
        readonly component: string;
        readonly group: 'queuewatch';
        readonly class: 'job-failures';
        readonly custom_details: Readonly<Record<string, string>>;
      };
    }
  | {
      readonly routing_key: string;
      readonly event_action: 'resolve';
      readonly dedup_key: string;
    };

/** PagerDuty cuts a summary at 1,024 characters and refuses a dedup key past 255. */
const summaryLimit = 1_024;
const dedupKeyLimit = 255;

/**
 * The event for an alert. The `dedup_key` is the incident's id, the same on its firing and its
 * resolved notice, so PagerDuty opens one incident, folds repeats into it, and resolves it.
 */
export function pagerDutyEvent(alert: Alert, routingKey: string, source: string): PagerDutyEvent {
  const dedupKey = alert.id.slice(0, dedupKeyLimit);
  if (alert.status === 'resolved') {
    return { routing_key: routingKey, event_action: 'resolve', dedup_key: dedupKey };
  }
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: dedupKey,
    client: 'Queuewatch',
    payload: {
      summary: cut(`${headline(alert)}: ${alert.message}`, summaryLimit),
      source,
      severity: severityOf[alert.severity],
      timestamp: alert.startsAt,
      component: alert.context.queueName,
      group: 'queuewatch',
      class: 'job-failures',
      custom_details: Object.fromEntries(alertFacts(alert).map((fact) => [fact.name, fact.value])),
    },
  };
}
