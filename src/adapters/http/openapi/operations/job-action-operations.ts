import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import {
  drainRequestSchema,
  drainSchema,
  jobActionSchema,
  queuePauseSchema,
  recordPathSchema,
  reenqueueSchema,
  removeQuerySchema,
} from '../../schemas/console-actions.js';
import { jobPathSchema, queuePathSchema } from '../../schemas/jobs.js';
import { errorResponses, jsonResponse, type ErrorKind } from '../responses.js';

const redis = 'Redis did not answer in time, is away, or refused the command.';

/** The 403 of a change: the role, read-only, or the request guards. */
function forbidden(role: 'operator' | 'admin'): string {
  return (
    `The token's role is below ${role} (\`QW_FORBIDDEN_ROLE\`), Queuewatch is read-only ` +
    '(`QW_READ_ONLY`), or the request failed the Host or Origin guard.'
  );
}

/** The error answers of a change, the guards' aside. */
function changeErrors(
  role: 'operator' | 'admin',
  answers: Partial<Record<ErrorKind, string>>,
): ReturnType<typeof errorResponses> {
  return errorResponses({ forbiddenChange: forbidden(role), ...answers, redis });
}

const jobPath = 'A queue name with a colon or over 256 characters, or an id over 256.';

function jobAction(
  verb: 'retry' | 'promote' | 'duplicate',
  summary: string,
  from: string | null,
): RouteConfig {
  return {
    method: 'post',
    path: `/api/v1/queues/{queue}/jobs/{id}/${verb}`,
    operationId: `${verb}Job`,
    tags: ['console'],
    summary,
    description: 'Needs the operator role; audited (refusals included).',
    request: { params: jobPathSchema },
    responses: {
      200: jsonResponse('Done: the job and its state now.', jobActionSchema),
      ...changeErrors('operator', {
        badRequest: jobPath,
        notFound: 'Queuewatch does not watch the queue, or the queue has no such job.',
        ...(from === null
          ? {}
          : {
              invalidState:
                `The job is not ${from} (any more: another operator or a worker moved it ` +
                'first); `error.state` says where it is.',
            }),
      }),
    },
  };
}

function queueAction(verb: 'pause' | 'resume'): RouteConfig {
  return {
    method: 'post',
    path: `/api/v1/queues/{queue}/${verb}`,
    operationId: `${verb}Queue`,
    tags: ['console'],
    summary: verb === 'pause' ? 'Pause a queue: workers take no new job' : 'Resume a paused queue',
    description: 'Needs the operator role; audited.',
    request: { params: queuePathSchema },
    responses: {
      200: jsonResponse('Done.', queuePauseSchema),
      ...changeErrors('operator', {
        badRequest: 'A queue name with a colon or over 256 characters.',
        notFound: 'Queuewatch does not watch the queue.',
      }),
    },
  };
}

/** `job-action-routes.ts`. */
export const jobActionOperations: readonly RouteConfig[] = [
  jobAction('retry', 'Retry a failed or completed job', 'failed or completed'),
  jobAction('promote', 'Run a delayed job now', 'delayed'),
  jobAction('duplicate', 'Add a copy of a job (same name, data and options; a new id)', null),
  {
    method: 'delete',
    path: '/api/v1/queues/{queue}/jobs/{id}',
    operationId: 'removeJob',
    tags: ['console'],
    summary: 'Remove a job, with or without its children (said explicitly)',
    description:
      'Needs the admin role; audited. Like every change, the request says ' +
      '`Content-Type: application/json` (a body is not needed).',
    request: { params: jobPathSchema, query: removeQuerySchema },
    responses: {
      200: jsonResponse('Removed (its state is then `unknown`).', jobActionSchema),
      ...changeErrors('admin', {
        badRequest: `${jobPath} Or \`children\` is missing or neither \`true\` nor \`false\`.`,
        notFound: 'Queuewatch does not watch the queue, or the queue has no such job.',
        invalidState: 'A worker holds the job (or one of its children): it is active.',
      }),
    },
  },
  queueAction('pause'),
  queueAction('resume'),
  {
    method: 'post',
    path: '/api/v1/queues/{queue}/drain',
    operationId: 'drainQueue',
    tags: ['console'],
    summary: 'Remove every waiting job (and, with `delayed: true`, every delayed one)',
    description: 'Needs the admin role; audited.',
    request: {
      params: queuePathSchema,
      body: { required: false, content: { 'application/json': { schema: drainRequestSchema } } },
    },
    responses: {
      200: jsonResponse('Drained: how many jobs were removed.', drainSchema),
      ...changeErrors('admin', {
        badRequest: 'A queue name with a colon, or a body with an unknown field or a non-boolean.',
        notFound: 'Queuewatch does not watch the queue.',
      }),
    },
  },
  {
    method: 'post',
    path: '/api/v1/dead-letters/{recordId}/reenqueue',
    operationId: 'reenqueueDeadLetter',
    tags: ['console'],
    summary: "Add a dead-letter record's job to its original queue again",
    description:
      'Needs the operator role; audited. The new job copies the original (name, data, options) ' +
      "while it still exists; else it is made of the record's name and data.",
    request: { params: recordPathSchema },
    responses: {
      201: jsonResponse('Added: the new job.', reenqueueSchema),
      ...changeErrors('operator', {
        badRequest: 'A record id over 1024 characters.',
        notFound: 'No such record, or Queuewatch no longer watches its queue.',
        invalidState:
          'The job is gone from its queue and the record keeps only the start of its data.',
      }),
    },
  },
];
