import type { Alert } from '../../../domain/alerting/alert.js';
import { alertFacts, cut, headline } from '../alert-facts.js';

/** The mail for an alert: its subject and plain-text body (nothing for a mail client to run). */
export interface AlertMail {
  readonly subject: string;
  readonly text: string;
}

/** A subject stays readable in a list: the headline, cut at 200 characters. */
const subjectLimit = 200;

/** The subject is the headline; the body the message, then one fact a line, then the incident id. */
export function alertMail(alert: Alert, subjectPrefix: string): AlertMail {
  const facts = alertFacts(alert);
  const width = Math.max(...facts.map((fact) => fact.name.length));
  return {
    subject: cut(`${subjectPrefix}${headline(alert)}`, subjectLimit),
    text: [
      alert.message,
      '',
      ...facts.map((fact) => `${`${fact.name}:`.padEnd(width + 2)}${fact.value}`),
      '',
      `Incident ${alert.id} — sent by Queuewatch.`,
      '',
    ].join('\n'),
  };
}
