import { baseLabels, type AlertSeverity, type Alert } from './alert.js';
import type { FailureReading, FailureThreshold } from './failure-rule.js';
import { describeWindow } from '../wording/wording.js';

/** The longest error text an alert carries. */
export const maxAlertErrorLength = 500;

/** Everything a failure-rate alert is made from. */
export interface FailureAlertInput {
  readonly incidentId: string;
  readonly status: 'firing' | 'resolved';
  readonly queueName: string;
  /** The queue's priority, which is its alerts' severity. */
  readonly priority: AlertSeverity;
  readonly reading: FailureReading;
  readonly threshold: FailureThreshold;
  readonly recentJobId: string | null;
  readonly error: string | null;
  readonly startsAt: number;
  readonly endsAt?: number;
  /** The queue's own labels, for routing, silences and inhibition. */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Build a failure-rate alert: `High Failure Rate Detected`, "Queue q has 12 failures in the last 5 minutes". */
export function failureAlert(input: FailureAlertInput): Alert {
  const severity: AlertSeverity = input.priority;
  const window = describeWindow(input.threshold.windowMs);
  const rate =
    input.reading.failureRate === null
      ? ''
      : ` (${(input.reading.failureRate * 100).toFixed(1)}% of finished jobs)`;
  const firing = input.status === 'firing';
  return {
    id: input.incidentId,
    status: input.status,
    severity,
    title: firing ? 'High Failure Rate Detected' : 'Failure Rate Back to Normal',
    message: firing
      ? `Queue ${input.queueName} has ${String(input.reading.failed)} failures in the last ${window}${rate}`
      : `Queue ${input.queueName} is back under its threshold: ${String(input.reading.failed)} failures in the last ${window}`,
    rule: 'failure-rate',
    labels: baseLabels('failure-rate', severity, input.queueName, input.labels),
    values: {
      failures: input.reading.failed,
      completed: input.reading.completed,
      failureRate: input.reading.failureRate,
      threshold: input.threshold.count,
      rateThreshold: input.threshold.rate,
      windowMs: input.threshold.windowMs,
    },
    link: `/queues/${encodeURIComponent(input.queueName)}`,
    context: {
      queueName: input.queueName,
      failureCount: input.reading.failed,
      threshold: input.threshold.count,
      windowMs: input.threshold.windowMs,
      recentJobId: input.recentJobId,
      error: input.error === null ? null : truncate(input.error, maxAlertErrorLength),
    },
    startsAt: new Date(input.startsAt).toISOString(),
    ...(input.endsAt === undefined ? {} : { endsAt: new Date(input.endsAt).toISOString() }),
  };
}

/** Cut text to `max` characters, saying so. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 14)}… (truncated)`;
}
