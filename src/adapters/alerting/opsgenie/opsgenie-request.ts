import type { Alert, AlertSeverity } from '../../../domain/alerting/alert.js';
import { alertFacts, cut, headline } from '../alert-facts.js';

type OpsgeniePriority = 'P1' | 'P2' | 'P3' | 'P4' | 'P5';

const priorityOf: Record<AlertSeverity, OpsgeniePriority> = {
  critical: 'P1',
  high: 'P2',
  medium: 'P3',
  low: 'P4',
};

/** Opsgenie's limits: message 130 characters, alias 512, description 15,000. */
const messageLimit = 130;
const aliasLimit = 512;
const descriptionLimit = 15_000;

/** The Alert API call for an alert: where it goes and its body. */
export interface OpsgenieCall {
  /** Path under the API's base: `/v2/alerts`, or `/v2/alerts/<alias>/close?identifierType=alias`. */
  readonly path: string;
  readonly body: Readonly<Record<string, unknown>>;
}

/**
 * Create an alert when it fires, with the incident's id as its `alias` (Opsgenie folds a repeat
 * with the same alias into the open alert); close it by that alias when it resolves.
 */
export function opsgenieCall(alert: Alert, responders: readonly OpsgenieResponder[]): OpsgenieCall {
  const alias = alert.id.slice(0, aliasLimit);
  if (alert.status === 'resolved') {
    return {
      path: `/v2/alerts/${encodeURIComponent(alias)}/close?identifierType=alias`,
      body: { source: 'Queuewatch', note: cut(alert.message, descriptionLimit) },
    };
  }
  const facts = alertFacts(alert);
  return {
    path: '/v2/alerts',
    body: {
      message: cut(headline(alert), messageLimit),
      alias,
      description: cut(
        [alert.message, '', ...facts.map((fact) => `${fact.name}: ${fact.value}`)].join('\n'),
        descriptionLimit,
      ),
      priority: priorityOf[alert.severity],
      source: 'Queuewatch',
      entity: alert.context.queueName,
      tags: ['queuewatch', `queue:${alert.context.queueName}`, alert.severity],
      details: Object.fromEntries(facts.map((fact) => [fact.name, fact.value])),
      ...(responders.length > 0 ? { responders } : {}),
    },
  };
}

/** A team, user, escalation or schedule to notify, by name or id. */
export interface OpsgenieResponder {
  readonly type: 'team' | 'user' | 'escalation' | 'schedule';
  readonly name?: string | undefined;
  readonly id?: string | undefined;
  readonly username?: string | undefined;
}
