/** The condition rules about one queue. */
export const queueConditionRuleTypes = [
  'backlog',
  'oldest-waiting',
  'wait-p95',
  'drain-time',
  'no-workers',
  'stalled',
  'queue-paused',
  'event-gap',
] as const;
export type QueueConditionRuleType = (typeof queueConditionRuleTypes)[number];

/** The condition rules about Redis itself. */
export const redisConditionRuleTypes = ['redis-down', 'redis-memory'] as const;
export type RedisConditionRuleType = (typeof redisConditionRuleTypes)[number];

/** A rule judged on a timer from what Queuewatch reads, rather than from job events. */
export type ConditionRuleType = QueueConditionRuleType | RedisConditionRuleType;

/** Every rule type a configuration may name: failure rate, the condition rules, and a test. */
export const alertRuleTypes = [
  'failure-rate',
  ...queueConditionRuleTypes,
  ...redisConditionRuleTypes,
  'test',
] as const;

/** What raised an alert: one of the rule types, or a test sent by hand. */
export type AlertRuleType = (typeof alertRuleTypes)[number];
