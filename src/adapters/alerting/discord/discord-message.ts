import type { Alert } from '../../../domain/alerting/alert.js';
import { alertColour, alertFacts, cut, headline } from '../alert-facts.js';

/** The JSON body of a Discord webhook execution with one embed. */
export interface DiscordMessage {
  readonly username?: string;
  readonly content: string;
  readonly embeds: readonly {
    readonly title: string;
    readonly description: string;
    readonly color: number;
    readonly fields: readonly { name: string; value: string; inline: boolean }[];
    readonly timestamp: string;
    readonly footer: { readonly text: string };
  }[];
  /** No `@everyone` or role pings from text an alert carries (a job's error message, say). */
  readonly allowed_mentions: { readonly parse: readonly never[] };
}

// Discord's limits: content 2,000; embed title 256, description 4,096, field name 256, value 1,024.
const contentLimit = 2_000;
const titleLimit = 256;
const descriptionLimit = 4_096;
const fieldValueLimit = 1_024;

/** The message for an alert: a one-line headline and an embed coloured by severity. */
export function discordMessage(alert: Alert, username: string | undefined): DiscordMessage {
  return {
    ...(username === undefined ? {} : { username }),
    content: cut(headline(alert), contentLimit),
    embeds: [
      {
        title: cut(alert.title, titleLimit),
        description: cut(alert.message, descriptionLimit),
        color: alertColour(alert),
        fields: alertFacts(alert).map((fact) => ({
          name: fact.name,
          value: cut(fact.value, fieldValueLimit),
          inline: fact.value.length <= 40,
        })),
        timestamp: alert.endsAt ?? alert.startsAt,
        footer: { text: `Queuewatch · ${alert.id}` },
      },
    ],
    allowed_mentions: { parse: [] },
  };
}
