import type { AlertSeverity } from './alert.js';
import type {
  ConditionRuleType,
  QueueConditionRuleType,
  RedisConditionRuleType,
} from './rule-types.js';

export {
  queueConditionRuleTypes,
  redisConditionRuleTypes,
  type ConditionRuleType,
  type QueueConditionRuleType,
  type RedisConditionRuleType,
} from './rule-types.js';

/** What every condition rule carries besides its own levels. */
export interface ConditionRuleBase {
  /** `false`: the alert is recorded and shown as firing, never sent to a destination. */
  readonly notify: boolean;
  /** `null`: the queue's priority. */
  readonly severity: AlertSeverity | null;
  /** A breach must hold this long (ms) before the alert fires. */
  readonly forMs: number;
}

/** One condition rule with its levels; a `clear…` level is where a firing alert resolves. */
export type ConditionRule = ConditionRuleBase &
  (
    | { readonly type: 'backlog'; readonly count: number; readonly clearCount: number }
    | { readonly type: 'oldest-waiting'; readonly ageMs: number; readonly clearAgeMs: number }
    | {
        readonly type: 'wait-p95';
        readonly ms: number;
        readonly clearMs: number;
        readonly windowMs: number;
      }
    | { readonly type: 'drain-time'; readonly seconds: number; readonly clearSeconds: number }
    | { readonly type: 'no-workers' }
    | { readonly type: 'stalled'; readonly count: number; readonly clearCount: number }
    | { readonly type: 'queue-paused' }
    | { readonly type: 'event-gap'; readonly windowMs: number }
    | { readonly type: 'redis-down' }
    | { readonly type: 'redis-memory'; readonly fraction: number; readonly clearFraction: number }
  );

/** The rule of one type. */
export type ConditionRuleOf<T extends ConditionRuleType> = Extract<ConditionRule, { type: T }>;

/** A rule about one queue. */
export type QueueConditionRule = ConditionRuleOf<QueueConditionRuleType>;

/** A rule about Redis. */
export type RedisConditionRule = ConditionRuleOf<RedisConditionRuleType>;

/** Each rule with its default levels (docs/alert-rules.md). */
export const defaultConditionRules: { readonly [T in ConditionRuleType]: ConditionRuleOf<T> } = {
  backlog: { type: 'backlog', count: 1_000, clearCount: 800, ...base(60_000) },
  'oldest-waiting': {
    type: 'oldest-waiting',
    ageMs: 5 * 60_000,
    clearAgeMs: 4 * 60_000,
    ...base(0),
  },
  'wait-p95': { type: 'wait-p95', ms: 60_000, clearMs: 48_000, windowMs: 5 * 60_000, ...base(0) },
  'drain-time': { type: 'drain-time', seconds: 900, clearSeconds: 720, ...base(60_000) },
  'no-workers': { type: 'no-workers', ...base(30_000) },
  stalled: { type: 'stalled', count: 1, clearCount: 0, ...base(0) },
  'queue-paused': { type: 'queue-paused', notify: false, severity: 'low', forMs: 0 },
  'event-gap': { type: 'event-gap', windowMs: 15 * 60_000, ...base(0) },
  'redis-down': { type: 'redis-down', notify: true, severity: 'critical', forMs: 30_000 },
  'redis-memory': {
    type: 'redis-memory',
    fraction: 0.9,
    clearFraction: 0.85,
    notify: true,
    severity: 'critical',
    forMs: 0,
  },
};

function base(forMs: number): ConditionRuleBase {
  return { notify: true, severity: null, forMs };
}

/** The clear level that follows a trigger level when none is given. */
export function defaultClearLevel(
  type: 'backlog' | 'oldest-waiting' | 'wait-p95' | 'drain-time' | 'stalled' | 'redis-memory',
  trigger: number,
): number {
  switch (type) {
    case 'stalled':
      return trigger - 1;
    case 'redis-memory':
      return Math.max(0, Math.round((trigger - 0.05) * 1_000) / 1_000);
    case 'drain-time':
      return trigger * 0.8;
    case 'backlog':
    case 'oldest-waiting':
    case 'wait-p95':
      return Math.floor(trigger * 0.8);
  }
}

/** The severity of a rule's alerts: its own, else the queue's priority. */
export function severityOf(rule: ConditionRule, priority: AlertSeverity): AlertSeverity {
  return rule.severity ?? priority;
}
