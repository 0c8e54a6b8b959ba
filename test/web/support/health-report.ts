import type { HealthReportBody } from '../../../src/application/contract/index.js';

/** An unhealthy report, as the health endpoint answers it with 503: the queue is paused. */
export const unhealthyReport: HealthReportBody = {
  status: 'unhealthy',
  timestamp: '2026-11-30T09:00:00.000Z',
  redis: {
    status: 'healthy',
    connectionStatus: 'connected',
    responseTime: 1,
    memory: {
      used: '1.2 MB',
      peak: '1.5 MB',
      usedBytes: 1_258_291,
      peakBytes: 1_572_864,
      maxBytes: null,
    },
    clients: 4,
    uptime: 3_600,
    issues: [],
  },
  queues: [
    {
      queueName: 'payments',
      status: 'unhealthy',
      stats: {
        waiting: 12,
        active: 0,
        completed: 30,
        failed: 2,
        delayed: 0,
        paused: 0,
        prioritized: 0,
        waitingChildren: 0,
      },
      details: {
        isRunning: true,
        isPaused: true,
        workerCount: 1,
        processingCapacity: null,
        avgProcessingTime: 120,
        errorRate: null,
        finishedInWindow: { completed: 30, failed: 2 },
        staleJobs: 0,
        lastJobProcessed: '2026-11-30T08:59:00.000Z',
      },
      issues: [
        {
          code: 'QUEUE_PAUSED',
          severity: 'unhealthy',
          source: 'payments',
          message: 'the queue is paused',
          measured: null,
          threshold: null,
        },
      ],
    },
  ],
  summary: {
    totalQueues: 1,
    healthyQueues: 0,
    degradedQueues: 0,
    unhealthyQueues: 1,
    totalJobs: { waiting: 12, active: 0, completed: 30, failed: 2 },
  },
  issues: [
    {
      code: 'QUEUE_PAUSED',
      severity: 'unhealthy',
      source: 'payments',
      message: 'the queue is paused',
      measured: null,
      threshold: null,
    },
  ],
};
