import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { auditQuerySchema, auditSchema, meSchema } from '../../schemas/console-actions.js';
import { errorResponses, jsonResponse } from '../responses.js';

/** `access-routes.ts`. */
export const accessOperations: readonly RouteConfig[] = [
  {
    method: 'get',
    path: '/api/v1/me',
    operationId: 'getMe',
    tags: ['console'],
    summary: "Who the request's token is, its role, and the actions it may do",
    responses: { 200: jsonResponse('The caller.', meSchema) },
  },
  {
    method: 'get',
    path: '/api/v1/audit',
    operationId: 'listAudit',
    tags: ['console'],
    summary: 'The audit trail of console changes, newest first',
    description:
      'Every change (retry, remove, clean, pause, add a job, test alerts…), refused ones ' +
      'included, from the Redis stream `queuewatch:audit` (`queuewatch:{tag}:audit` on a Redis ' +
      'Cluster; bounded by `QUEUEWATCH_AUDIT_MAX_ENTRIES`).',
    request: { query: auditQuerySchema },
    responses: {
      200: jsonResponse('The latest entries.', auditSchema),
      ...errorResponses({
        badRequest: '`limit` is not a whole number from 1 to 1000.',
        redis: 'Redis did not answer in time, is away, or refused the command.',
      }),
    },
  },
];
