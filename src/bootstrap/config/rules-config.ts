import { z } from 'zod';
import {
  defaultClearLevel,
  defaultConditionRules,
  queueConditionRuleTypes,
  redisConditionRuleTypes,
  type ConditionRule,
  type ConditionRuleType,
  type QueueConditionRule,
  type QueueConditionRuleType,
  type RedisConditionRule,
} from '../../domain/alerting/condition-rules.js';
import { ConfigError } from './config-error.js';

const wholeAboveZero = z
  .number()
  .int('expected a whole number')
  .min(1, 'expected a whole number above 0');
const wholeFromZero = z.number().int('expected a whole number').min(0, 'expected 0 or more');
const severity = z.enum(['critical', 'high', 'medium', 'low']);

/** What every rule entry may say besides its own levels. */
const common = {
  enabled: z.boolean().optional(),
  notify: z.boolean().optional(),
  severity: severity.optional(),
  forMs: wholeFromZero.optional(),
};

const entry = <Shape extends z.ZodRawShape>(shape: Shape) =>
  z.strictObject({ ...common, ...shape }).optional();

/** Each queue rule's entry as written in the file. */
const queueRuleEntries = {
  backlog: entry({ count: wholeAboveZero.optional(), clearCount: wholeFromZero.optional() }),
  'oldest-waiting': entry({
    ageMs: wholeAboveZero.optional(),
    clearAgeMs: wholeFromZero.optional(),
  }),
  'wait-p95': entry({
    ms: wholeAboveZero.optional(),
    clearMs: wholeFromZero.optional(),
    windowMs: wholeAboveZero.optional(),
  }),
  'drain-time': entry({
    seconds: z.number().gt(0, 'expected a number above 0').optional(),
    clearSeconds: z.number().min(0, 'expected 0 or more').optional(),
  }),
  'no-workers': entry({}),
  stalled: entry({ count: wholeAboveZero.optional(), clearCount: wholeFromZero.optional() }),
  'queue-paused': entry({}),
  'event-gap': entry({ windowMs: wholeAboveZero.optional() }),
};

/** Every rule's entry, the Redis rules included. */
const ruleEntries = {
  ...queueRuleEntries,
  'redis-down': entry({}),
  'redis-memory': entry({
    fraction: z
      .number()
      .gt(0, 'expected a fraction above 0 and at most 1')
      .max(1, 'expected a fraction above 0 and at most 1')
      .optional(),
    clearFraction: z.number().min(0, 'expected 0 or more').optional(),
  }),
};

const unknownRule = (known: readonly string[]) => (issue: { code?: string; keys?: string[] }) =>
  issue.code === 'unrecognized_keys'
    ? `unknown rule ${(issue.keys ?? []).map((key) => JSON.stringify(key)).join(', ')} (known: ${known.join(', ')})`
    : undefined;

/** `alerts.rules`: the rules of every queue, and the Redis rules. */
export const alertRulesSection = z.strictObject(ruleEntries, {
  error: unknownRule([...queueConditionRuleTypes, ...redisConditionRuleTypes]),
});

/** `queues[].rules`: one queue's own rules over `alerts.rules` (Redis rules are not per queue). */
export const queueRulesSection = z.strictObject(queueRuleEntries, {
  error: unknownRule(queueConditionRuleTypes),
});

/** A label name as alert matchers name them; `rule`, `severity` and `queue` are Queuewatch's. */
export const queueLabelsSection = z.record(
  z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/, 'a label name is letters, digits, - or _')
    .refine(
      (name) => !['rule', 'severity', 'queue'].includes(name),
      'rule, severity and queue are labels Queuewatch sets itself',
    ),
  z.string(),
);

/** `alerts.rules` as written in the file. */
export type AlertRulesInput = z.infer<typeof alertRulesSection>;

/** `queues[].rules` as written in the file. */
export type QueueRulesInput = z.infer<typeof queueRulesSection>;

type EntryInput = Partial<Record<string, number | boolean | string>>;

/** The trigger and clear level of each rule that has them. */
const levels = {
  backlog: ['count', 'clearCount'],
  'oldest-waiting': ['ageMs', 'clearAgeMs'],
  'wait-p95': ['ms', 'clearMs'],
  'drain-time': ['seconds', 'clearSeconds'],
  stalled: ['count', 'clearCount'],
  'redis-memory': ['fraction', 'clearFraction'],
} as const;

/** The condition rules in force, as configured (docs/alert-rules.md). */
export interface RulesConfig {
  /** The enabled Redis rules. */
  readonly redis: readonly RedisConditionRule[];
  /** Any rule written in the file at all; without one nothing but failure-rate runs. */
  readonly anyConfigured: boolean;
  /** The rules of a queue: `alerts.rules` and the built-in defaults under its own entry. */
  rulesOf(queueRules: QueueRulesInput | undefined, where: string): QueueConditionRule[];
}

/**
 * Check and merge the rules. A rule written in `alerts.rules` is on for every queue; one written in
 * a queue's `rules` is on for that queue; `{ "enabled": false }` turns one off. `queue-paused` is on
 * for every queue as soon as any rule is written (it never notifies, and it is what inhibits a
 * paused queue's backlog alerts). Throws ConfigError on levels that contradict each other.
 */
export function rulesConfig(
  alertRules: AlertRulesInput | undefined,
  anyQueueRules: boolean,
): RulesConfig {
  const anyConfigured = alertRules !== undefined || anyQueueRules;
  const globals = (alertRules ?? {}) as Partial<Record<ConditionRuleType, EntryInput>>;
  const redis = redisConditionRuleTypes.flatMap((type): RedisConditionRule[] => {
    const global = globals[type];
    if (global === undefined || global.enabled === false) return [];
    return [merge(type, global, undefined, `alerts.rules.${type}`) as RedisConditionRule];
  });
  // Checked once here, so a mistake in `alerts.rules` is reported even with no queue named.
  for (const type of queueConditionRuleTypes) {
    const global = globals[type];
    if (global !== undefined) merge(type, global, undefined, `alerts.rules.${type}`);
  }
  return {
    redis,
    anyConfigured,
    rulesOf: (queueRules, where) => {
      const locals = (queueRules ?? {}) as Partial<Record<QueueConditionRuleType, EntryInput>>;
      return queueConditionRuleTypes.flatMap((type): QueueConditionRule[] => {
        const global = globals[type];
        const local = locals[type];
        const enabled =
          local !== undefined
            ? local.enabled !== false
            : global !== undefined
              ? global.enabled !== false
              : type === 'queue-paused' && anyConfigured;
        if (!enabled) return [];
        return [merge(type, global, local, `${where}.rules.${type}`) as QueueConditionRule];
      });
    },
  };
}

/** One rule: the defaults, then `alerts.rules`, then the queue's own entry. */
function merge(
  type: ConditionRuleType,
  global: EntryInput | undefined,
  local: EntryInput | undefined,
  where: string,
): ConditionRule {
  const merged: Record<string, unknown> = {
    ...defaultConditionRules[type],
    ...optionsOf(global),
    ...optionsOf(local),
  };
  if (type in levels) {
    const [trigger, clear] = levels[type as keyof typeof levels];
    const levelType = type as keyof typeof levels;
    // A clear level follows its trigger unless the same entry gives it.
    const clearOf = (options: EntryInput | undefined): number | undefined => {
      if (options?.[clear] !== undefined) return Number(options[clear]);
      if (options?.[trigger] !== undefined) {
        return defaultClearLevel(levelType, Number(options[trigger]));
      }
      return undefined;
    };
    merged[clear] =
      clearOf(local) ??
      clearOf(global) ??
      (defaultConditionRules[levelType] as unknown as Record<string, number>)[clear];
    const triggerLevel = Number(merged[trigger]);
    const clearLevel = Number(merged[clear]);
    if (!(clearLevel < triggerLevel)) {
      throw new ConfigError(
        `config file: ${where}: ${clear} (${String(clearLevel)}) must be below ${trigger} (${String(triggerLevel)})`,
      );
    }
  }
  return merged as unknown as ConditionRule;
}

/** An entry's options: everything but `enabled`. */
function optionsOf(entry: EntryInput | undefined): EntryInput {
  return Object.fromEntries(Object.entries(entry ?? {}).filter(([key]) => key !== 'enabled'));
}
