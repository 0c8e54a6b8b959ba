import type { HealthReportBody } from '../../../src/application/contract/index.js';

const statuses: readonly unknown[] = ['healthy', 'degraded', 'unhealthy'];

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/**
 * Is this body a health report? The dashboard reads `GET /api/v1/health/report` (always 200), but
 * a Queuewatch behind a path that serves `/api/v1/health/queues` answers 503 with the report when
 * something is unhealthy; a 503 from anything else on the way (a proxy, a load balancer) has
 * another body, and is an error.
 */
export function isHealthReport(body: unknown): body is HealthReportBody {
  return (
    isObject(body) &&
    statuses.includes(body.status) &&
    typeof body.timestamp === 'string' &&
    isObject(body.redis) &&
    Array.isArray(body.queues) &&
    isObject(body.summary) &&
    Array.isArray(body.issues)
  );
}
