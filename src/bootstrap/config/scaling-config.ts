import { z } from 'zod';
import { queueName } from './env-schema.js';
import { ConfigError } from './config-error.js';
import type { ScalingPolicy } from '../../domain/forecast/worker-recommendation.js';

const policy = z
  .object({
    concurrency: z.number().int().min(1).max(10_000).optional(),
    targetWaitMs: z.number().int().min(1).optional(),
    drainWithinMs: z.number().int().min(1).optional(),
    minWorkers: z.number().int().min(0).optional(),
    maxWorkers: z.number().int().min(1).max(100_000).optional(),
  })
  .strict();

/** The `scaling` section of the config file: defaults, and per queue what differs. */
export const scalingSection = z
  .object({ defaults: policy.optional(), queues: z.record(queueName, policy).optional() })
  .strict();

/** Each queue's scaling policy (docs/forecast.md). */
export interface ScalingConfig {
  readonly defaults: ScalingPolicy;
  readonly queues: Readonly<Record<string, ScalingPolicy>>;
}

const builtIn: ScalingPolicy = {
  concurrency: 1,
  targetWaitSeconds: 30,
  drainWithinSeconds: 300,
  minWorkers: 0,
  maxWorkers: 100,
};

function merged(base: ScalingPolicy, input: z.infer<typeof policy> | undefined): ScalingPolicy {
  return {
    concurrency: input?.concurrency ?? base.concurrency,
    targetWaitSeconds:
      input?.targetWaitMs === undefined ? base.targetWaitSeconds : input.targetWaitMs / 1000,
    drainWithinSeconds:
      input?.drainWithinMs === undefined ? base.drainWithinSeconds : input.drainWithinMs / 1000,
    minWorkers: input?.minWorkers ?? base.minWorkers,
    maxWorkers: input?.maxWorkers ?? base.maxWorkers,
  };
}

export function scalingConfig(input: z.infer<typeof scalingSection> | undefined): ScalingConfig {
  const defaults = merged(builtIn, input?.defaults);
  const queues: Record<string, ScalingPolicy> = {};
  for (const [name, own] of Object.entries(input?.queues ?? {})) {
    queues[name] = merged(defaults, own);
  }
  for (const [name, own] of Object.entries({ defaults, ...queues })) {
    if (own.minWorkers > own.maxWorkers) {
      throw new ConfigError(
        `config file: scaling ${name}: minWorkers (${String(own.minWorkers)}) is above maxWorkers`,
      );
    }
  }
  return { defaults, queues };
}
