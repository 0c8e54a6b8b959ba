import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { healthReportSchema, livenessSchema, readinessSchema } from '../../schemas/health.js';
import { jsonResponse } from '../responses.js';

/** `health-routes.ts`: the health report twice over, and the two probes. */
export const healthOperations: readonly RouteConfig[] = [
  {
    method: 'get',
    path: '/api/v1/health/queues',
    operationId: 'getQueueHealth',
    tags: ['health'],
    summary: 'Health of every watched queue and of Redis, for load balancers and status pages',
    responses: {
      200: jsonResponse('Healthy or degraded.', healthReportSchema),
      503: jsonResponse('Unhealthy: the same report, with what is wrong.', healthReportSchema),
    },
  },
  {
    method: 'get',
    path: '/api/v1/health/report',
    operationId: 'getHealthReport',
    tags: ['health'],
    summary: 'The same report, always 200: for dashboards (the verdict is in `status`)',
    responses: { 200: jsonResponse('The report, whatever its verdict.', healthReportSchema) },
  },
  {
    method: 'get',
    path: '/livez',
    operationId: 'getLiveness',
    tags: ['probes'],
    summary: 'The process serves (open even when a token is set)',
    responses: { 200: jsonResponse('Live.', livenessSchema) },
  },
  {
    method: 'get',
    path: '/readyz',
    operationId: 'getReadiness',
    tags: ['probes'],
    summary: 'Redis answers a PING now (open even when a token is set)',
    responses: {
      200: jsonResponse('Ready: `ready` is `true`.', readinessSchema),
      503: jsonResponse(
        'Not ready: `ready` is `false`, `redis` says how the connection stands.',
        readinessSchema,
      ),
    },
  },
];
