import type { Alert, AlertSeverity } from '../../../domain/alerting/alert.js';
import { alertFacts, cut } from '../alert-facts.js';

/** Facts the message shows elsewhere: severity in the header, the rest in the context line. */
const hiddenFacts = new Set(['Severity', 'Recent job', 'Error', 'Started', 'Resolved']);

/** Block Kit plain text (headers). */
export interface SlackPlainText {
  readonly type: 'plain_text';
  readonly text: string;
  readonly emoji: true;
}

/** Block Kit mrkdwn text (sections, fields, context). */
export interface SlackMarkdown {
  readonly type: 'mrkdwn';
  readonly text: string;
}

/** The Block Kit blocks a Queuewatch alert uses. */
export type SlackBlock =
  | { readonly type: 'header'; readonly text: SlackPlainText }
  | { readonly type: 'section'; readonly text: SlackMarkdown }
  | { readonly type: 'section'; readonly fields: readonly SlackMarkdown[] }
  | { readonly type: 'context'; readonly elements: readonly SlackMarkdown[] };

/** The JSON body of an incoming-webhook POST. */
export interface SlackMessage {
  /** The plain-text fallback: notifications, and clients that cannot show blocks. */
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
  readonly channel?: string;
  readonly username?: string;
}

/** Per-destination overrides; only legacy webhooks honour them, app webhooks ignore them. */
export interface SlackOverrides {
  readonly channel?: string | undefined;
  readonly username?: string | undefined;
}

const severityEmoji: Record<AlertSeverity, string> = {
  critical: '🔴',
  high: '🟠',
  medium: '🟡',
  low: '🔵',
};

// Slack's limits: a header's text 150 characters, a section's 3000, a field's 2000.
const headerLimit = 150;
const sectionLimit = 3000;
const fieldLimit = 2000;
const errorLimit = 500;

/** The Slack message for an alert: Block Kit blocks plus a plain-text fallback. */
export function slackMessage(alert: Alert, overrides: SlackOverrides = {}): SlackMessage {
  const resolved = alert.status === 'resolved';
  const label = resolved ? 'RESOLVED' : alert.severity.toUpperCase();
  const emoji = resolved ? '✅' : severityEmoji[alert.severity];
  const { context } = alert;
  const shown = alertFacts(alert).filter((fact) => !hiddenFacts.has(fact.name));
  const facts = `queue ${context.queueName}: ${shown
    .filter((fact) => fact.name !== 'Queue')
    .map((fact) => `${fact.name.toLowerCase()} ${fact.value}`)
    .join(', ')}`;
  const blocks: SlackBlock[] = [
    { type: 'header', text: plain(cut(`${emoji} ${label}: ${alert.title}`, headerLimit)) },
    {
      type: 'section',
      text: markdown(
        cut(
          resolved
            ? `*Resolved* (was ${alert.severity}). ${escape(alert.message)}`
            : escape(alert.message),
          sectionLimit,
        ),
      ),
    },
    {
      type: 'section',
      // Slack allows ten fields in a section.
      fields: shown
        .slice(0, 10)
        .map((fact) => field(fact.name, fact.name === 'Queue' ? code(fact.value) : fact.value)),
    },
    { type: 'context', elements: contextElements(alert) },
  ];
  return {
    text: cut(
      `[${label}] ${escape(alert.title)}: ${escape(alert.message)} (${escape(facts)})`,
      sectionLimit,
    ),
    blocks,
    ...(overrides.channel === undefined ? {} : { channel: overrides.channel }),
    ...(overrides.username === undefined ? {} : { username: overrides.username }),
  };
}

function contextElements(alert: Alert): SlackMarkdown[] {
  const { recentJobId, error } = alert.context;
  const elements: SlackMarkdown[] = [];
  if (typeof recentJobId === 'string')
    elements.push(markdown(`*Recent job:* ${code(recentJobId)}`));
  if (typeof error === 'string')
    elements.push(markdown(`*Error:* ${cut(escape(error), errorLimit)}`));
  const times =
    alert.endsAt === undefined
      ? `Started ${when(alert.startsAt)}`
      : `Started ${when(alert.startsAt)} · resolved ${when(alert.endsAt)}`;
  elements.push(markdown(times));
  return elements;
}

function field(name: string, value: string): SlackMarkdown {
  return markdown(cut(`*${name}*\n${value}`, fieldLimit));
}

/** A Slack date token, shown in the reader's time zone, with the ISO text as its fallback. */
function when(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return escape(iso);
  return `<!date^${String(Math.floor(ms / 1000))}^{date_short_pretty} {time_secs}|${escape(iso)}>`;
}

function plain(text: string): SlackPlainText {
  return { type: 'plain_text', text, emoji: true };
}

function markdown(text: string): SlackMarkdown {
  return { type: 'mrkdwn', text };
}

/** Inline code; a backtick inside would end it early, so it becomes a quote. */
function code(text: string): string {
  return `\`${escape(text).replaceAll('`', "'")}\``;
}

/** Slack's mrkdwn reserves exactly these three characters. */
function escape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
