import type { Alert } from '../../../domain/alerting/alert.js';
import { alertFacts, cut, headline } from '../alert-facts.js';

/** An Adaptive Card TextBlock or FactSet, the elements Queuewatch's card uses. */
type CardElement =
  | {
      readonly type: 'TextBlock';
      readonly text: string;
      readonly wrap: true;
      readonly weight?: 'Bolder';
      readonly size?: 'Medium';
      readonly color?: 'Attention' | 'Warning' | 'Good' | 'Accent';
    }
  | { readonly type: 'FactSet'; readonly facts: readonly { title: string; value: string }[] };

/** The body a Teams incoming webhook or Workflows "post to a channel" flow takes. */
export interface TeamsMessage {
  readonly type: 'message';
  readonly attachments: readonly [
    {
      readonly contentType: 'application/vnd.microsoft.card.adaptive';
      readonly contentUrl: null;
      readonly content: {
        readonly $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
        readonly type: 'AdaptiveCard';
        readonly version: '1.4';
        readonly body: readonly CardElement[];
        readonly msteams: { readonly width: 'Full' };
      };
    },
  ];
}

/** The card for an alert: the headline coloured by state, the message, and its facts. */
export function teamsMessage(alert: Alert): TeamsMessage {
  const colour =
    alert.status === 'resolved'
      ? 'Good'
      : alert.severity === 'critical' || alert.severity === 'high'
        ? 'Attention'
        : 'Warning';
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            {
              type: 'TextBlock',
              text: cut(headline(alert), 300),
              wrap: true,
              weight: 'Bolder',
              size: 'Medium',
              color: colour,
            },
            { type: 'TextBlock', text: cut(alert.message, 3_000), wrap: true },
            {
              type: 'FactSet',
              facts: alertFacts(alert).map((fact) => ({ title: fact.name, value: fact.value })),
            },
          ],
          msteams: { width: 'Full' },
        },
      },
    ],
  };
}
