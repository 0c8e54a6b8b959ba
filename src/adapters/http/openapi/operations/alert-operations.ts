import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import {
  alertsQuerySchema,
  alertsSchema,
  createSilenceSchema,
  firingAlertsSchema,
  silenceBodySchema,
  silencePathSchema,
  silencesSchema,
  testAlertRequestSchema,
  testAlertSchema,
} from '../../schemas/alerts.js';
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
    summary:
      'Send a test alert now, outside the outbox: to every destination, or through the routing tree',
    description:
      'Needs the admin role; audited. At most `QUEUEWATCH_RATE_LIMIT_TEST_ALERTS` (10) a window per client (its token, or its ' +
      'address without one). With `labels`, the test alert is routed like a real one and sent to the destinations of the ' +
      'routes it reaches (`routes` says which).',
    request: {
      body: {
        required: false,
        description:
          'Optional, but the request must say `Content-Type: application/json` ' +
          '(a POST without it is refused with 415).',
        content: { 'application/json': { schema: testAlertRequestSchema } },
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
  {
    method: 'get',
    path: '/api/v1/alerts/firing',
    operationId: 'listFiringAlerts',
    tags: ['alerts'],
    summary:
      'Every alert firing now, as every instance sees it, with the silences and alerts holding it back',
    responses: {
      200: jsonResponse('The firing alerts, most urgent first.', firingAlertsSchema),
      ...errorResponses({
        redis: 'Redis did not answer in time, is away, or refused the command.',
      }),
    },
  },
  {
    method: 'get',
    path: '/api/v1/silences',
    operationId: 'listSilences',
    tags: ['alerts'],
    summary: 'Silences: active and pending first, then those expired in the last week',
    responses: {
      200: jsonResponse('The silences.', silencesSchema),
      ...errorResponses({
        redis: 'Redis did not answer in time, is away, or refused the command.',
      }),
    },
  },
  {
    method: 'post',
    path: '/api/v1/silences',
    operationId: 'createSilence',
    tags: ['alerts'],
    summary: 'Silence the alerts that match: recorded, not sent, until it ends',
    description:
      'Needs the operator role; audited. Shared by every instance and kept across restarts. A silence must be able to ' +
      'match an alert, end after it starts and say why.',
    request: {
      body: { required: true, content: { 'application/json': { schema: createSilenceSchema } } },
    },
    responses: {
      201: jsonResponse('The silence created.', silenceBodySchema),
      ...errorResponses({
        badRequest:
          'No matcher, a matcher no alert can satisfy, an invalid regular expression, an end before the start, or no comment.',
        forbiddenChange:
          'The token is not an operator (`QW_FORBIDDEN_ROLE`), Queuewatch is read-only ' +
          '(`QW_READ_ONLY`), or the request failed the Host or Origin guard.',
      }),
    },
  },
  {
    method: 'delete',
    path: '/api/v1/silences/{id}',
    operationId: 'expireSilence',
    tags: ['alerts'],
    summary: 'Expire a silence now',
    description:
      'Needs the operator role; audited. The alerts it held back are sent at their group’s next flush.',
    request: { params: silencePathSchema },
    responses: {
      200: jsonResponse('The silence, expired.', silenceBodySchema),
      ...errorResponses({
        notFound: 'No silence has this id.',
        forbiddenChange:
          'The token is not an operator (`QW_FORBIDDEN_ROLE`), Queuewatch is read-only ' +
          '(`QW_READ_ONLY`), or the request failed the Host or Origin guard.',
      }),
    },
  },
];
