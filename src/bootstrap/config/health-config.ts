import type { Levels } from '../../domain/queue-health/health-issue.js';
import {
  defaultHealthThresholds,
  type HealthThresholds,
  type QueueThresholds,
} from '../../domain/queue-health/health-thresholds.js';
import { ConfigError } from './config-error.js';
import type { FileConfig, QueueThresholdsInput } from './file-schema.js';

/** The health thresholds: the defaults, with what the file changes. Throws ConfigError. */
export function mergeHealth(file: FileConfig): HealthThresholds {
  const queue = mergeQueueThresholds(
    defaultHealthThresholds.queue,
    file.health?.queue,
    'health.queue',
  );
  const redisInput = file.health?.redis;
  const redisDefaults = defaultHealthThresholds.redis;
  return {
    queue,
    redis: {
      latencyMs: mergeLevels(
        redisDefaults.latencyMs,
        redisInput?.latencyMs,
        'health.redis.latencyMs',
      ),
      memoryRatio: mergeLevels(
        redisDefaults.memoryRatio,
        redisInput?.memoryRatio,
        'health.redis.memoryRatio',
      ),
    },
  };
}

/** A queue's thresholds: `base`, with what `input` changes. Throws ConfigError. */
export function mergeQueueThresholds(
  base: QueueThresholds,
  input: QueueThresholdsInput | undefined,
  where: string,
): QueueThresholds {
  if (!input) return base;
  return {
    staleJobAfterMs: input.staleJobAfterMs ?? base.staleJobAfterMs,
    staleJobs: mergeLevels(base.staleJobs, input.staleJobs, `${where}.staleJobs`),
    waitingJobs: mergeLevels(base.waitingJobs, input.waitingJobs, `${where}.waitingJobs`),
    errorRate: mergeLevels(base.errorRate, input.errorRate, `${where}.errorRate`),
    errorRateWindowMs: input.errorRateWindowMs ?? base.errorRateWindowMs,
    errorRateMinJobs: input.errorRateMinJobs ?? base.errorRateMinJobs,
  };
}

function mergeLevels(
  base: Levels,
  input: { degraded?: number | undefined; unhealthy?: number | undefined } | undefined,
  where: string,
): Levels {
  const merged = {
    degraded: input?.degraded ?? base.degraded,
    unhealthy: input?.unhealthy ?? base.unhealthy,
  };
  if (merged.degraded > merged.unhealthy) {
    throw new ConfigError(
      `config file: ${where}: degraded (${String(merged.degraded)}) must not exceed unhealthy (${String(merged.unhealthy)})`,
    );
  }
  return merged;
}
