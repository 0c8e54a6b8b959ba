import { baseLabels, type Alert, type AlertSeverity, type AlertValue } from './alert.js';
import type { ConditionRule } from './condition-rules.js';
import { describeWindow, grouped } from '../wording/wording.js';

/** What Redis rules name as their queue, in the context and in the incident key. */
export const redisSubject = 'redis';

/** Everything a condition rule's alert is made from. */
export interface ConditionAlertInput {
  readonly incidentId: string;
  readonly status: 'firing' | 'resolved';
  readonly rule: ConditionRule;
  /** The queue it is about; `null` for a Redis rule. */
  readonly queueName: string | null;
  readonly severity: AlertSeverity;
  /** The queue's own labels. */
  readonly labels?: Readonly<Record<string, string>>;
  /** The values of the latest reading (what fired it, or what resolved it). */
  readonly values: Readonly<Record<string, AlertValue>>;
  readonly startsAt: number;
  readonly endsAt?: number;
}

/** Build a condition rule's alert: "Backlog above 1,000 on payments", with its values and link. */
export function conditionAlert(input: ConditionAlertInput): Alert {
  const { rule, queueName, severity } = input;
  const text = textOf(rule, queueName ?? redisSubject, input.values, input.status === 'firing');
  return {
    id: input.incidentId,
    status: input.status,
    severity,
    title: text.title,
    message: text.message,
    rule: rule.type,
    labels: baseLabels(rule.type, severity, queueName, input.labels),
    values: input.values,
    link: queueName === null ? '/' : `/queues/${encodeURIComponent(queueName)}`,
    context: { queueName: queueName ?? redisSubject },
    startsAt: new Date(input.startsAt).toISOString(),
    ...(input.endsAt === undefined ? {} : { endsAt: new Date(input.endsAt).toISOString() }),
    ...(rule.notify ? {} : { notify: false }),
  };
}

interface AlertText {
  readonly title: string;
  readonly message: string;
}

function textOf(
  rule: ConditionRule,
  queue: string,
  values: Readonly<Record<string, AlertValue>>,
  firing: boolean,
): AlertText {
  const held = rule.forMs > 0 ? ` for at least ${describeWindow(rule.forMs)}` : '';
  switch (rule.type) {
    case 'backlog': {
      const waiting = `${count(values.waiting)} jobs are waiting on ${queue}`;
      return firing
        ? {
            title: `Backlog above ${count(rule.count)} on ${queue}`,
            message: `${waiting} (threshold ${count(rule.count)})${held}`,
          }
        : {
            title: `Backlog back to normal on ${queue}`,
            message: `${waiting} (clears at ${count(rule.clearCount)})`,
          };
    }
    case 'oldest-waiting': {
      const age = values.oldestWaitingMs;
      const measured =
        typeof age === 'number'
          ? `The oldest job waiting on ${queue} has waited ${duration(age)}`
          : `No job is waiting on ${queue}`;
      return firing
        ? {
            title: `Oldest waiting job older than ${describeWindow(rule.ageMs)} on ${queue}`,
            message: `${measured} (threshold ${describeWindow(rule.ageMs)})${held}`,
          }
        : { title: `Waiting jobs back to normal on ${queue}`, message: measured };
    }
    case 'wait-p95': {
      const p95 = values.waitP95Ms;
      const measured =
        typeof p95 === 'number'
          ? `95% of the jobs started on ${queue} in the last ${describeWindow(rule.windowMs)} waited at most ${duration(p95)}`
          : `No job started on ${queue} in the last ${describeWindow(rule.windowMs)}`;
      return firing
        ? {
            title: `p95 wait above ${duration(rule.ms)} on ${queue}`,
            message: `${measured} (threshold ${duration(rule.ms)})${held}`,
          }
        : { title: `Wait times back to normal on ${queue}`, message: measured };
    }
    case 'drain-time':
      return drainText(rule, queue, values, firing, held);
    case 'no-workers':
      return firing
        ? {
            title: `No workers on ${queue}`,
            message: `${count(values.waiting)} jobs are waiting on ${queue} and no worker is connected${held}`,
          }
        : {
            title: `Workers back on ${queue}`,
            message: `${queue} has ${count(values.workers)} workers connected and ${count(values.waiting)} jobs waiting`,
          };
    case 'stalled':
      return firing
        ? {
            title: `Stalled jobs on ${queue}`,
            message: `${count(values.staleJobs)} active jobs on ${queue} have run past their stale limit (threshold ${count(rule.count)})${held}`,
          }
        : {
            title: `No more stalled jobs on ${queue}`,
            message: `${count(values.staleJobs)} active jobs on ${queue} are stale`,
          };
    case 'queue-paused':
      return firing
        ? {
            title: `${queue} is paused`,
            message: `${queue} is paused; ${count(values.waiting)} jobs are waiting`,
          }
        : { title: `${queue} is resumed`, message: `${queue} is no longer paused` };
    case 'event-gap':
      return firing
        ? {
            title: `Events lost on ${queue}`,
            message: `Queuewatch found events of ${queue} lost before it read them (at ${String(values.lastGapAt)}); what they said is missing from its records`,
          }
        : {
            title: `No recent event loss on ${queue}`,
            message: `No events of ${queue} were found lost in the last ${describeWindow(rule.windowMs)}`,
          };
    case 'redis-down':
      return firing
        ? {
            title: 'Redis is unreachable',
            message: `Redis has not answered${held} (${String(values.connectionStatus)}${typeof values.reason === 'string' ? `: ${values.reason}` : ''})`,
          }
        : { title: 'Redis is reachable again', message: 'Redis answers again' };
    case 'redis-memory': {
      const fraction = values.usedFraction;
      const measured =
        typeof fraction === 'number'
          ? `Redis uses ${percent(fraction)} of its maxmemory (${bytes(values.usedBytes)} of ${bytes(values.maxBytes)})`
          : 'Redis has no maxmemory set';
      return firing
        ? {
            title: `Redis memory above ${percent(rule.fraction)} of maxmemory`,
            message: `${measured}${held}`,
          }
        : { title: 'Redis memory back to normal', message: measured };
    }
  }
}

function drainText(
  rule: Extract<ConditionRule, { type: 'drain-time' }>,
  queue: string,
  values: Readonly<Record<string, AlertValue>>,
  firing: boolean,
  held: string,
): AlertText {
  const backlog = `${queue}'s backlog of ${count(values.backlog)} jobs`;
  let measured: string;
  switch (String(values.drainStatus)) {
    case 'growing':
      measured = `${backlog} is growing: it will not drain`;
      break;
    case 'no-workers':
      measured = `${backlog} has no worker: it will not drain`;
      break;
    case 'empty':
      measured = `${queue} has no backlog`;
      break;
    default:
      measured = `${backlog} drains in about ${duration(Number(values.drainSeconds) * 1_000)}`;
  }
  return firing
    ? {
        title: `Drain time above ${duration(rule.seconds * 1_000)} on ${queue}`,
        message: `${measured} (threshold ${duration(rule.seconds * 1_000)})${held}`,
      }
    : { title: `Drain time back to normal on ${queue}`, message: measured };
}

/**
 * A new incident's id: its key and when it began. Except Redis going down, which no instance can
 * agree on through Redis: its id names the Redis process that went away (its run_id, as last
 * read), the same on every instance that had read it, so a destination that folds notices by id
 * (PagerDuty's dedup_key, Opsgenie's alias) opens one incident for all of them. A Redis never
 * read yet falls back to the time.
 */
export function conditionIncidentId(
  incidentKey: string,
  ruleType: ConditionRule['type'],
  since: number,
  redisRunId: string | undefined,
): string {
  if (ruleType === 'redis-down' && redisRunId !== undefined) return `${incidentKey}/${redisRunId}`;
  return `${incidentKey}/${String(since)}`;
}

/** `1523` → `1,523`. */
export function count(value: AlertValue | undefined): string {
  const number = Number(value);
  return Number.isFinite(number) ? grouped(number) : String(value);
}

/** A measured duration: `850 ms`, `42 s`, `12.5 min`, `3.2 h`. */
export function duration(ms: number): string {
  if (ms < 1_000) return `${String(Math.round(ms))} ms`;
  if (ms < 120_000) return `${String(Math.round(ms / 100) / 10)} s`;
  if (ms < 2 * 3_600_000) return `${String(Math.round(ms / 6_000) / 10)} min`;
  return `${String(Math.round(ms / 360_000) / 10)} h`;
}

function percent(fraction: number): string {
  return `${String(Math.round(fraction * 1_000) / 10)}%`;
}

function bytes(value: AlertValue | undefined): string {
  const number = Number(value);
  if (!Number.isFinite(number)) return String(value);
  if (number < 1_024 * 1_024) return `${String(Math.round(number / 102.4) / 10)} KB`;
  if (number < 1_024 ** 3) return `${String(Math.round(number / (102.4 * 1_024)) / 10)} MB`;
  return `${String(Math.round(number / (102.4 * 1_024 ** 2)) / 10)} GB`;
}
