import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { JobSubmitService } from '../../../application/queues/job-submit-service.js';
import { ApiError } from '../api-error.js';
import { noRateLimit } from '../rate-limit.js';

/** The most job data the Lab may send, as JSON text. */
const maxDataBytes = 16 * 1024;

const body = z.strictObject({
  name: z
    .string({ error: 'name must be a string' })
    .min(1, 'name must not be empty')
    .max(128, 'name must be at most 128 characters'),
  data: z
    .unknown()
    .refine(
      (value) => JSON.stringify(value ?? {}).length <= maxDataBytes,
      `data must be at most ${String(maxDataBytes)} bytes of JSON`,
    )
    .optional(),
});

const queueParam = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[^:]+$/, 'a queue name has no colon');

/** `POST /api/v1/queues/:queue/jobs` `{ name, data }` → 201 `{ jobId, queueName }`. */
export function submitRoutes(
  jobs: Pick<JobSubmitService, 'submit'>,
  submitLimit: RequestHandler = noRateLimit,
): Router {
  const router = Router();
  router.post('/api/v1/queues/:queue/jobs', submitLimit, async (request, response) => {
    const queue = queueParam.safeParse(request.params.queue);
    if (!queue.success)
      throw new ApiError('QW_BAD_REQUEST', `queue: ${queue.error.issues[0]?.message ?? 'invalid'}`);
    if (!request.is('application/json')) {
      throw new ApiError('QW_BAD_REQUEST', 'send the job as JSON: { "name": "…", "data": { … } }');
    }
    const parsed = body.safeParse(request.body);
    if (!parsed.success) {
      throw new ApiError(
        'QW_BAD_REQUEST',
        parsed.error.issues.map((issue) => issue.message).join('; '),
      );
    }
    const outcome = await jobs.submit(queue.data, parsed.data.name, parsed.data.data ?? {});
    if (!outcome.submitted)
      throw new ApiError('QW_NOT_FOUND', `queue "${queue.data}" is not watched by Queuewatch`);
    response.status(201).json(outcome.body);
  });
  return router;
}
