import type { HealthIssue } from './health-issue.js';
import { worstStatus, type HealthStatus } from './health-status.js';
import type { QueueHealth } from './evaluate-queue-health.js';
import type { RedisHealth } from './evaluate-redis-health.js';

/** Counts across every queue. */
export interface HealthSummary {
  readonly totalQueues: number;
  readonly healthyQueues: number;
  readonly degradedQueues: number;
  readonly unhealthyQueues: number;
  readonly totalJobs: {
    readonly waiting: number;
    readonly active: number;
    readonly completed: number;
    readonly failed: number;
  };
}

/** The whole verdict: the worst of Redis and every queue wins. */
export interface HealthVerdict {
  readonly status: HealthStatus;
  readonly redis: RedisHealth;
  readonly queues: readonly QueueHealth[];
  readonly summary: HealthSummary;
  readonly issues: readonly HealthIssue[];
}

/** Aggregate Redis's and each queue's verdict into one. */
export function summarizeHealth(redis: RedisHealth, queues: readonly QueueHealth[]): HealthVerdict {
  const totalJobs = { waiting: 0, active: 0, completed: 0, failed: 0 };
  for (const queue of queues) {
    if (!queue.stats) continue;
    totalJobs.waiting += queue.stats.waiting;
    totalJobs.active += queue.stats.active;
    totalJobs.completed += queue.stats.completed;
    totalJobs.failed += queue.stats.failed;
  }
  const countWith = (status: HealthStatus): number =>
    queues.filter((queue) => queue.status === status).length;
  return {
    status: worstStatus([redis.status, ...queues.map((queue) => queue.status)]),
    redis,
    queues,
    summary: {
      totalQueues: queues.length,
      healthyQueues: countWith('healthy'),
      degradedQueues: countWith('degraded'),
      unhealthyQueues: countWith('unhealthy'),
      totalJobs,
    },
    issues: [...redis.issues, ...queues.flatMap((queue) => queue.issues)],
  };
}
