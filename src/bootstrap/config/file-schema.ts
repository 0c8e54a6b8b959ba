import { z } from 'zod';
import { queueName } from './env-schema.js';
import { historySection } from './history-config.js';
import { alertRulesSection, queueLabelsSection, queueRulesSection } from './rules-config.js';
import { routingSection } from './routing-config.js';
import { scalingSection } from './scaling-config.js';

const levels = (max?: number) => {
  const bound = max === undefined ? z.number().min(0) : z.number().min(0).max(max);
  return z.object({ degraded: bound.optional(), unhealthy: bound.optional() }).strict();
};
const milliseconds = z.number().int().min(1);

const queueThresholds = z
  .object({
    staleJobAfterMs: milliseconds.optional(),
    staleJobs: levels().optional(),
    waitingJobs: levels().optional(),
    errorRate: levels(1).optional(),
    errorRateWindowMs: milliseconds.optional(),
    errorRateMinJobs: z.number().int().min(0).optional(),
  })
  .strict();

const failureThreshold = z
  .object({
    count: z.number().int().min(1).optional(),
    windowMs: milliseconds.optional(),
    clearCount: z.number().int().min(0).optional(),
    rate: z.number().gt(0).max(1).optional(),
    minVolume: z.number().int().min(1).optional(),
  })
  .strict();

const destinationName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'a destination name is 1-64 letters, digits, - or _');

const destination = z.looseObject({
  name: destinationName.optional(),
  type: z.string().min(1),
  minSeverity: z.enum(['critical', 'high', 'medium', 'low']).optional(),
  queues: z.array(queueName).min(1).optional(),
});

const alerts = z
  .object({
    failureThreshold: failureThreshold.optional(),
    repeatIntervalMs: milliseconds.optional(),
    evaluateIntervalMs: milliseconds.optional(),
    deadLetter: z
      .object({
        queue: queueName.optional(),
        maxAgeMs: milliseconds.optional(),
        maxCount: z.number().int().min(1).optional(),
        pruneIntervalMs: milliseconds.optional(),
      })
      .strict()
      .optional(),
    delivery: z
      .object({
        attempts: z.number().int().min(1).max(50).optional(),
        baseDelayMs: milliseconds.optional(),
        maxDelayMs: milliseconds.optional(),
      })
      .strict()
      .optional(),
    destinations: z.array(destination).optional(),
    rules: alertRulesSection.optional(),
    ...routingSection,
  })
  .strict();

const redisThresholds = z
  .object({
    latencyMs: levels().optional(),
    memoryRatio: levels(1).optional(),
  })
  .strict();

const environmentVariable = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name: letters, digits and _');

/** A token's name, as the audit trail shows who did what. */
export const tokenName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a token name is 1-64 letters, digits, ., - or _');

/** What a token may do. */
export const tokenRole = z.enum(['viewer', 'operator', 'admin']);

/** Tokens with roles; each token's value is read from the environment variable it names. */
const auth = z
  .object({
    tokens: z
      .array(
        z
          .object({
            name: tokenName,
            role: tokenRole,
            tokenEnv: environmentVariable,
          })
          .strict(),
      )
      .optional(),
  })
  .strict();

/** The JSON config file (`QUEUEWATCH_CONFIG`); every part is optional. */
export const fileSchema = z
  .object({
    $schema: z.string().optional(),
    queues: z
      .array(
        z
          .object({
            name: queueName,
            priority: z.enum(['critical', 'high', 'medium', 'low']).optional(),
            thresholds: queueThresholds.optional(),
            failureThreshold: failureThreshold.optional(),
            labels: queueLabelsSection.optional(),
            rules: queueRulesSection.optional(),
          })
          .strict(),
      )
      .optional(),
    health: z
      .object({ queue: queueThresholds.optional(), redis: redisThresholds.optional() })
      .strict()
      .optional(),
    alerts: alerts.optional(),
    auth: auth.optional(),
    history: historySection.optional(),
    scaling: scalingSection.optional(),
  })
  .strict();

/** The config file, parsed. */
export type FileConfig = z.infer<typeof fileSchema>;

/** Partial queue thresholds as written in the file. */
export type QueueThresholdsInput = z.infer<typeof queueThresholds>;

/** A partial failure threshold as written in the file. */
export type FailureThresholdInput = z.infer<typeof failureThreshold>;

/** The `alerts` section as written in the file. */
export type AlertsInput = z.infer<typeof alerts>;

/** Partial Redis thresholds as written in the file. */
export type RedisThresholdsInput = z.infer<typeof redisThresholds>;

/** The `auth` section as written in the file. */
export type AuthInput = z.infer<typeof auth>;
