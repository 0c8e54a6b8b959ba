import { z } from 'zod';
import type {
  HealthIssue,
  HealthReportBody,
  HealthSummary,
  JobCounts,
  LivenessBody,
  QueueHealthBody,
  ReadinessBody,
  RedisHealth,
} from '../../../application/contract/health.js';
import { describes } from './describes.js';

const healthStatus = z.enum(['healthy', 'degraded', 'unhealthy']).meta({
  id: 'HealthStatus',
  description: 'How well a component is doing; `unhealthy` is worst.',
});

const count = z.number().int().min(0);
const measure = z.union([z.number(), z.string()]).nullable();

/** One finding of a health check. */
export const healthIssueSchema = describes<HealthIssue>()(
  z
    .object({
      code: z.enum([
        'REDIS_UNREACHABLE',
        'REDIS_SLOW',
        'REDIS_MEMORY_HIGH',
        'REDIS_WRITES_REFUSED',
        'REDIS_DATA_LOST',
        'QUEUE_UNREADABLE',
        'QUEUE_PAUSED',
        'STALE_JOBS',
        'NO_WORKERS',
        'BACKLOG_HIGH',
        'ERROR_RATE_HIGH',
        'EVENTS_MISSED',
      ]),
      severity: z.enum(['degraded', 'unhealthy']),
      source: z.string().meta({ description: '`redis` or the name of the queue.' }),
      message: z.string(),
      measured: measure,
      threshold: measure,
    })
    .meta({
      id: 'HealthIssue',
      description: 'What was measured, which threshold it crossed, and how bad it is.',
    }),
);

/** Jobs per state, as BullMQ counts them. */
export const jobCountsSchema = describes<JobCounts>()(
  z
    .object({
      waiting: count,
      active: count,
      completed: count,
      failed: count,
      delayed: count,
      paused: count,
      prioritized: count,
      waitingChildren: count,
    })
    .meta({
      id: 'JobCounts',
      description:
        'Jobs per state, read as BullMQ counts them: `waiting` includes prioritized jobs; ' +
        '`paused` counts the jobs a pause holds back.',
    }),
);

const redisHealthSchema = describes<RedisHealth>()(
  z
    .object({
      status: healthStatus,
      connectionStatus: z.enum([
        'connected',
        'connecting',
        'reconnecting',
        'disconnected',
        'unresponsive',
      ]),
      responseTime: z.number().min(0).nullable().meta({ description: 'PING round trip (ms).' }),
      memory: z.object({
        used: z.string().nullable(),
        peak: z.string().nullable(),
        usedBytes: count.nullable(),
        peakBytes: count.nullable(),
        maxBytes: count.nullable().meta({ description: '`null` when Redis has no `maxmemory`.' }),
      }),
      clients: count.nullable(),
      uptime: count.nullable().meta({ description: 'Seconds.' }),
      issues: z.array(healthIssueSchema),
    })
    .meta({
      id: 'RedisHealth',
      description: "Redis's verdict; figures are `null` when unreachable.",
    }),
);

const queueHealthSchema = describes<QueueHealthBody>()(
  z
    .object({
      queueName: z.string(),
      status: healthStatus,
      stats: jobCountsSchema
        .nullable()
        .meta({ description: '`null` when the queue could not be read.' }),
      details: z
        .object({
          isRunning: z.boolean().nullable(),
          isPaused: z.boolean(),
          workerCount: count.nullable(),
          processingCapacity: z.null().meta({
            description: 'Always `null`: BullMQ keeps no record of a worker’s concurrency.',
          }),
          avgProcessingTime: z.number().nullable(),
          errorRate: z.number().min(0).max(1).nullable(),
          finishedInWindow: z.object({ completed: count, failed: count }),
          staleJobs: count,
          lastJobProcessed: z.iso.datetime().nullable(),
        })
        .nullable(),
      issues: z.array(healthIssueSchema),
    })
    .meta({ id: 'QueueHealth', description: 'One watched queue.' }),
);

const healthSummarySchema = describes<HealthSummary>()(
  z
    .object({
      totalQueues: count,
      healthyQueues: count,
      degradedQueues: count,
      unhealthyQueues: count,
      totalJobs: z.object({ waiting: count, active: count, completed: count, failed: count }),
    })
    .meta({ id: 'HealthSummary' }),
);

/** `GET /api/v1/health/queues` and `GET /api/v1/health/report`. */
export const healthReportSchema = describes<HealthReportBody>()(
  z
    .object({
      status: healthStatus,
      timestamp: z.iso.datetime(),
      redis: redisHealthSchema,
      queues: z.array(queueHealthSchema),
      summary: healthSummarySchema,
      issues: z.array(healthIssueSchema),
    })
    .meta({
      id: 'HealthReport',
      description: 'Every watched queue and Redis; `status` is the worst of them.',
    }),
);

/** `GET /livez`. */
export const livenessSchema = describes<LivenessBody>()(
  z.object({ live: z.literal(true) }).meta({ id: 'Liveness' }),
);

/** `GET /readyz`. */
export const readinessSchema = describes<ReadinessBody>()(
  z
    .object({ ready: z.boolean(), redis: redisHealthSchema.shape.connectionStatus })
    .meta({ id: 'Readiness' }),
);
