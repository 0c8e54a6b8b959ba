import type { AlertSeverity } from '../../domain/alerting/alert.js';
import type { FailureThreshold } from '../../domain/alerting/failure-rule.js';
import { defaultRetryPolicy, type RetryPolicy } from '../../domain/alerting/retry-policy.js';
import type { AlertRoute } from '../../domain/alerting/alert-route.js';
import type { InhibitRule } from '../../domain/alerting/inhibition.js';
import { ConfigError } from './config-error.js';
import { inhibitRules, routingTree } from './routing-config.js';
import type { AlertsInput, FailureThresholdInput } from './file-schema.js';

/** One configured alert destination. */
export interface DestinationConfig {
  readonly name: string;
  readonly type: string;
  readonly minSeverity: AlertSeverity;
  readonly queues: readonly string[] | null;
  /** Everything else in the entry: the destination's own options (may hold secrets). */
  readonly options: Readonly<Record<string, unknown>>;
}

/** Dead-letter monitoring and alerting. */
export interface AlertsConfig {
  readonly repeatIntervalMs: number;
  /** How often every queue's window is judged, so a quiet queue's alert resolves (ms). */
  readonly evaluateIntervalMs: number;
  readonly deadLetter: {
    readonly queueName: string;
    readonly maxAgeMs: number;
    readonly maxCount: number;
    readonly pruneIntervalMs: number;
  };
  /** The one retry policy of the outbox. */
  readonly delivery: RetryPolicy;
  /** The alert work queue (the outbox's notifications and group flushes): a BullMQ queue of Queuewatch's own. */
  readonly outboxQueueName: string;
  /** Where earlier versions kept group flushes; those still waiting there are moved at start. */
  readonly formerGroupsQueueName: string;
  /** The routing tree, every inherited setting filled in. */
  readonly route: AlertRoute;
  readonly inhibitRules: readonly InhibitRule[];
  /** The dashboard's address, to make alert links full URLs; `null` keeps paths. */
  readonly dashboardUrl: string | null;
  readonly destinations: readonly DestinationConfig[];
  /** Where relative plugin paths are resolved from: the config file's folder. */
  readonly baseDir: string;
}

/** A failure threshold from the file over `base`; clearCount follows count unless given. */
export function mergeFailureThreshold(
  base: FailureThreshold,
  input: FailureThresholdInput | undefined,
  where: string,
): FailureThreshold {
  if (!input) return base;
  const count = input.count ?? base.count;
  const merged: FailureThreshold = {
    count,
    windowMs: input.windowMs ?? base.windowMs,
    clearCount:
      input.clearCount ?? (input.count === undefined ? base.clearCount : Math.floor(count / 2)),
    rate: input.rate ?? base.rate,
    minVolume: input.minVolume ?? base.minVolume,
  };
  if (merged.clearCount >= merged.count) {
    throw new ConfigError(
      `config file: ${where}: clearCount (${String(merged.clearCount)}) must be below count (${String(merged.count)})`,
    );
  }
  return merged;
}

const dayMs = 24 * 3_600_000;

/** The `alerts` section with every default filled in. */
export function alertsConfig(input: AlertsInput | undefined, baseDir: string): AlertsConfig {
  const entries = input?.destinations ?? [{ type: 'log' }];
  const destinations = entries.map((entry, index): DestinationConfig => {
    const { name, type, minSeverity, queues, ...options } = entry;
    const sameType = entries.filter((other) => other.type === type).length;
    return {
      name: name ?? (sameType === 1 ? type : `${type}-${String(index + 1)}`),
      type,
      minSeverity: minSeverity ?? 'low',
      queues: queues ?? null,
      options,
    };
  });
  const names = new Set<string>();
  for (const destination of destinations) {
    if (names.has(destination.name)) {
      throw new ConfigError(
        `config file: alerts.destinations: the name "${destination.name}" is used twice`,
      );
    }
    names.add(destination.name);
  }
  const delivery: RetryPolicy = {
    attempts: input?.delivery?.attempts ?? defaultRetryPolicy.attempts,
    baseDelayMs: input?.delivery?.baseDelayMs ?? defaultRetryPolicy.baseDelayMs,
    maxDelayMs: input?.delivery?.maxDelayMs ?? defaultRetryPolicy.maxDelayMs,
  };
  const repeatIntervalMs = input?.repeatIntervalMs ?? 3_600_000;
  return {
    repeatIntervalMs,
    evaluateIntervalMs: input?.evaluateIntervalMs ?? 5_000,
    deadLetter: {
      queueName: input?.deadLetter?.queue ?? 'failed-jobs',
      maxAgeMs: input?.deadLetter?.maxAgeMs ?? 7 * dayMs,
      maxCount: input?.deadLetter?.maxCount ?? 10_000,
      pruneIntervalMs: input?.deadLetter?.pruneIntervalMs ?? 60_000,
    },
    delivery,
    outboxQueueName: 'queuewatch-alerts',
    formerGroupsQueueName: 'queuewatch-alert-groups',
    route: routingTree(input ?? {}, destinations, repeatIntervalMs),
    inhibitRules: inhibitRules(input ?? {}),
    dashboardUrl: input?.dashboardUrl ?? null,
    destinations,
    baseDir,
  };
}
