import type { Levels } from './health-issue.js';

/** Limits that decide a queue's verdict; every one can be overridden per queue. */
export interface QueueThresholds {
  /** An active job is stale once it has been processing this long (ms). */
  readonly staleJobAfterMs: number;
  /** How many stale jobs degrade / make a queue unhealthy. */
  readonly staleJobs: Levels;
  /** Jobs waiting (wait + prioritized) that degrade / make unhealthy, workers or not. */
  readonly waitingJobs: Levels;
  /** Failed / (failed + completed) over the window that degrades / makes unhealthy. */
  readonly errorRate: Levels;
  /** The window the error rate is measured over (ms). */
  readonly errorRateWindowMs: number;
  /** Finished jobs needed in the window before the error rate is judged at all. */
  readonly errorRateMinJobs: number;
}

/** Limits that decide Redis's verdict. */
export interface RedisThresholds {
  /** PING round trip (ms). */
  readonly latencyMs: Levels;
  /** used_memory / maxmemory; only judged when Redis has a maxmemory. */
  readonly memoryRatio: Levels;
}

/** Every health threshold. */
export interface HealthThresholds {
  readonly queue: QueueThresholds;
  readonly redis: RedisThresholds;
}

/** The documented defaults (docs/configuration.md, "Health thresholds"). */
export const defaultHealthThresholds: HealthThresholds = {
  queue: {
    staleJobAfterMs: 5 * 60_000,
    staleJobs: { degraded: 1, unhealthy: 5 },
    waitingJobs: { degraded: 1_000, unhealthy: 10_000 },
    errorRate: { degraded: 0.1, unhealthy: 0.5 },
    errorRateWindowMs: 5 * 60_000,
    errorRateMinJobs: 20,
  },
  redis: {
    latencyMs: { degraded: 100, unhealthy: 1_000 },
    memoryRatio: { degraded: 0.8, unhealthy: 0.95 },
  },
};
