import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import {
  failedJobStatsSchema,
  recentFailedJobsSchema,
  recentFailedQuerySchema,
} from '../../schemas/failed-jobs.js';
import { errorResponses, jsonResponse } from '../responses.js';

const redis = 'Redis did not answer in time, is away, or refused the command.';

/** `failed-job-routes.ts`. */
export const failedJobOperations: readonly RouteConfig[] = [
  {
    method: 'get',
    path: '/api/v1/jobs/failed/stats',
    operationId: 'getFailedJobStats',
    tags: ['failed jobs'],
    summary: "The dead-letter queue's size and age, and each queue's failure window and alert",
    responses: {
      200: jsonResponse('The stats.', failedJobStatsSchema),
      ...errorResponses({ redis }),
    },
  },
  {
    method: 'get',
    path: '/api/v1/jobs/failed/recent',
    operationId: 'listRecentFailedJobs',
    tags: ['failed jobs'],
    summary: 'The latest dead-letter records, one per failed attempt, newest first',
    request: { query: recentFailedQuerySchema },
    responses: {
      200: jsonResponse('The records.', recentFailedJobsSchema),
      ...errorResponses({ badRequest: '`limit` is not a whole number from 1 to 1000.', redis }),
    },
  },
];
