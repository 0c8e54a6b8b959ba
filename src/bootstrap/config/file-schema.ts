import { z } from 'zod';
import { queueName } from './env-schema.js';

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

const redisThresholds = z
  .object({
    latencyMs: levels().optional(),
    memoryRatio: levels(1).optional(),
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
          })
          .strict(),
      )
      .optional(),
    health: z
      .object({ queue: queueThresholds.optional(), redis: redisThresholds.optional() })
      .strict()
      .optional(),
    alerts: z.looseObject({}).optional(),
  })
  .strict();

/** The config file, parsed. */
export type FileConfig = z.infer<typeof fileSchema>;

/** Partial queue thresholds as written in the file. */
export type QueueThresholdsInput = z.infer<typeof queueThresholds>;

/** Partial Redis thresholds as written in the file. */
export type RedisThresholdsInput = z.infer<typeof redisThresholds>;
