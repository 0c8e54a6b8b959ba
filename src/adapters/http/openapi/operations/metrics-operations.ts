import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

/** `metrics-routes.ts`. */
export const metricsOperations: readonly RouteConfig[] = [
  {
    method: 'get',
    path: '/metrics',
    operationId: 'getMetrics',
    tags: ['metrics'],
    summary: "Prometheus's text format",
    description:
      '`queuewatch_job_failures_total{queue}`, `queuewatch_alerts_total{status}`, ' +
      "`queuewatch_alert_deliveries_total{destination,outcome}` and Node's process metrics.",
    responses: {
      200: {
        description: 'The metrics (`text/plain; version=0.0.4`).',
        content: { 'text/plain': { schema: z.string() } },
      },
    },
  },
];
