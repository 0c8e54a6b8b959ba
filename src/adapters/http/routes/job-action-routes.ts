import { Router, type Request } from 'express';
import type { JobActions } from '../../../application/console/job-actions.js';
import { ApiError } from '../api-error.js';
import { callerOf } from '../caller-auth.js';
import { commandValue } from '../command-answer.js';
import { parseQuery } from '../query.js';
import {
  drainRequestSchema,
  recordPathSchema,
  removeQuerySchema,
} from '../schemas/console-actions.js';
import { jobPathSchema, queuePathSchema } from '../schemas/jobs.js';

/**
 * The console's changes to one job, one queue, one dead-letter record: retry, promote,
 * duplicate, remove; pause, resume, drain; re-enqueue. Each is a command of JobActions (role
 * checked, audited).
 */
export function jobActionRoutes(actions: JobActions): Router {
  const router = Router();
  const jobRoute = (verb: 'retry' | 'promote' | 'duplicate') => {
    router.post(`/api/v1/queues/:queue/jobs/:id/${verb}`, async (request, response) => {
      const { queue, id } = parsePath(jobPathSchema, request);
      const body = commandValue(await actions[verb](callerOf(response), queue, id));
      response.set('Cache-Control', 'no-store').json(body);
    });
  };
  jobRoute('retry');
  jobRoute('promote');
  jobRoute('duplicate');
  router.delete('/api/v1/queues/:queue/jobs/:id', async (request, response) => {
    const { queue, id } = parsePath(jobPathSchema, request);
    const { children } = parseQuery(removeQuerySchema, request.query);
    const body = commandValue(await actions.remove(callerOf(response), queue, id, children));
    response.set('Cache-Control', 'no-store').json(body);
  });
  for (const verb of ['pause', 'resume'] as const) {
    router.post(`/api/v1/queues/:queue/${verb}`, async (request, response) => {
      const { queue } = parsePath(queuePathSchema, request);
      const body = commandValue(await actions[verb](callerOf(response), queue));
      response.set('Cache-Control', 'no-store').json(body);
    });
  }
  router.post('/api/v1/queues/:queue/drain', async (request, response) => {
    const { queue } = parsePath(queuePathSchema, request);
    const { delayed } = parseBody(drainRequestSchema, request.body);
    const body = commandValue(await actions.drain(callerOf(response), queue, delayed ?? false));
    response.set('Cache-Control', 'no-store').json(body);
  });
  router.post('/api/v1/dead-letters/:recordId/reenqueue', async (request, response) => {
    const { recordId } = parsePath(recordPathSchema, request);
    const body = commandValue(await actions.reenqueue(callerOf(response), recordId));
    response.status(201).set('Cache-Control', 'no-store').json(body);
  });
  return router;
}

/** Path parameters checked by a schema; a bad one is a 400 naming it. */
export function parsePath<T>(
  schema: {
    safeParse(
      value: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: readonly { path: PropertyKey[]; message: string }[] } };
  },
  request: Request,
): T {
  const parsed = schema.safeParse(request.params);
  if (parsed.success) return parsed.data;
  throw new ApiError(
    'QW_BAD_REQUEST',
    parsed.error.issues
      .map((issue) => `${issue.path.map(String).join('.')}: ${issue.message}`)
      .join('; '),
  );
}

/** A JSON body checked by a schema; none at all counts as `{}`. */
export function parseBody<T>(
  schema: {
    safeParse(
      value: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: readonly { message: string }[] } };
  },
  body: unknown,
): T {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  throw new ApiError(
    'QW_BAD_REQUEST',
    parsed.error.issues.map((issue) => issue.message).join('; '),
  );
}
