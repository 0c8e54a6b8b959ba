import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { alertsQuerySchema, alertsSchema, testAlertSchema } from '../../schemas/alerts.js';
import { errorResponses, jsonResponse } from '../responses.js';

/** `alert-routes.ts`. */
export const alertOperations: readonly RouteConfig[] = [
  {
    method: 'get',
    path: '/api/v1/alerts',
    operationId: 'listAlerts',
    tags: ['alerts'],
    summary: 'Recent alerts with their delivery per destination, and the destinations',
    request: { query: alertsQuerySchema },
    responses: {
      200: jsonResponse('The alerts and the destinations (secrets redacted).', alertsSchema),
      ...errorResponses({
        badRequest: '`limit` is not a whole number from 1 to 500.',
        redis: 'Redis did not answer in time, is away, or refused the command.',
      }),
    },
  },
  {
    method: 'post',
    path: '/api/v1/alerts/test',
    operationId: 'sendTestAlert',
    tags: ['alerts'],
    summary: 'Send a test alert to every destination now, outside the outbox',
    description:
      'Needs the admin role; audited. At most `QUEUEWATCH_RATE_LIMIT_TEST_ALERTS` (10) a window per client (its token, or its ' +
      'address without one).',
    request: {
      body: {
        required: false,
        description:
          'None is needed, but the request must say `Content-Type: application/json` ' +
          '(a POST without it is refused with 415); a body is read and ignored.',
        content: { 'application/json': { schema: z.unknown() } },
      },
    },
    responses: {
      200: jsonResponse('What each destination answered.', testAlertSchema),
      ...errorResponses({
        forbiddenChange:
          'The token is not an admin (`QW_FORBIDDEN_ROLE`), Queuewatch is read-only ' +
          '(`QW_READ_ONLY`), or the request failed the Host or Origin guard.',
        rateLimited: 'Too many test alerts from this client in the window.',
      }),
    },
  },
];
