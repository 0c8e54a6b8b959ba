import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import {
  cleanRequestSchema,
  operationPathSchema,
  operationSchema,
  retryAllRequestSchema,
} from '../../schemas/console-actions.js';
import { queuePathSchema } from '../../schemas/jobs.js';
import { errorResponses, jsonResponse } from '../responses.js';

const redis = 'Redis did not answer in time, is away, or refused the command.';
const queueName = 'A queue name with a colon or over 256 characters';
const runs =
  'Answered 202 at once; the operation runs on in chunks of at most 200 jobs per Redis call, ' +
  'reported over the socket (`operation-progress`) and at `GET /api/v1/operations/{id}`.';

function forbidden(role: 'operator' | 'admin'): string {
  return (
    `The token's role is below ${role} (\`QW_FORBIDDEN_ROLE\`), Queuewatch is read-only ` +
    '(`QW_READ_ONLY`), or the request failed the Host or Origin guard.'
  );
}

/** `bulk-operation-routes.ts`. */
export const bulkOperations: readonly RouteConfig[] = [
  {
    method: 'post',
    path: '/api/v1/queues/{queue}/retry-all',
    operationId: 'retryAllFailed',
    tags: ['console'],
    summary: 'Retry every failed job (optionally of a name, and/or whose reason contains a text)',
    description:
      `Needs the operator role; audited when it ends. ${runs} Only jobs that failed before ` +
      'it started are retried, so each is retried once.',
    request: {
      params: queuePathSchema,
      body: { required: false, content: { 'application/json': { schema: retryAllRequestSchema } } },
    },
    responses: {
      202: jsonResponse('Started.', operationSchema),
      ...errorResponses({
        badRequest: `${queueName}; or an unknown field, or an empty \`name\` or \`reason\`.`,
        forbiddenChange: forbidden('operator'),
        notFound: 'Queuewatch does not watch the queue.',
        redis,
      }),
    },
  },
  {
    method: 'post',
    path: '/api/v1/queues/{queue}/promote-all',
    operationId: 'promoteAllDelayed',
    tags: ['console'],
    summary: 'Run every delayed job now',
    description: `Needs the operator role; audited when it ends. ${runs}`,
    request: { params: queuePathSchema },
    responses: {
      202: jsonResponse('Started.', operationSchema),
      ...errorResponses({
        badRequest: `${queueName}.`,
        forbiddenChange: forbidden('operator'),
        notFound: 'Queuewatch does not watch the queue.',
        redis,
      }),
    },
  },
  {
    method: 'post',
    path: '/api/v1/queues/{queue}/clean',
    operationId: 'cleanState',
    tags: ['console'],
    summary: 'Remove the jobs of a state older than a grace period',
    description: `Needs the admin role; audited when it ends. ${runs}`,
    request: {
      params: queuePathSchema,
      body: { required: true, content: { 'application/json': { schema: cleanRequestSchema } } },
    },
    responses: {
      202: jsonResponse('Started.', operationSchema),
      ...errorResponses({
        badRequest: `${queueName}; or a state that cannot be cleaned, or a missing or negative \`graceMs\`.`,
        forbiddenChange: forbidden('admin'),
        notFound: 'Queuewatch does not watch the queue.',
        redis,
      }),
    },
  },
  {
    method: 'get',
    path: '/api/v1/operations/{id}',
    operationId: 'getOperation',
    tags: ['console'],
    summary: 'How a bulk operation stands',
    description:
      'Operations live in the memory of the instance that runs them (the latest 100 finished ' +
      'ones are kept): behind a load balancer, ask the instance that started it.',
    request: { params: operationPathSchema },
    responses: {
      200: jsonResponse('The operation.', operationSchema),
      ...errorResponses({
        badRequest: 'An id over 64 characters.',
        notFound: 'This instance runs no operation of that id.',
      }),
    },
  },
  {
    method: 'post',
    path: '/api/v1/operations/{id}/cancel',
    operationId: 'cancelOperation',
    tags: ['console'],
    summary: 'Stop a bulk operation after its current chunk',
    description:
      'Needs the role its action needs; audited. Answers the operation as it stands (still ' +
      '`running` until the chunk in flight ends, then `cancelled` with the jobs done so far); a ' +
      'finished operation is answered as it ended.',
    request: { params: operationPathSchema },
    responses: {
      200: jsonResponse('The operation.', operationSchema),
      ...errorResponses({
        badRequest: 'An id over 64 characters.',
        forbiddenChange: forbidden('operator'),
        notFound: 'This instance runs no operation of that id.',
      }),
    },
  },
];
