import { Router, type RequestHandler } from 'express';
import type { JobSubmitService } from '../../../application/queues/job-submit-service.js';
import { ApiError } from '../api-error.js';
import { noRateLimit } from '../rate-limit.js';
import { queuePathSchema, submitJobRequestSchema } from '../schemas/jobs.js';

/** `POST /api/v1/queues/:queue/jobs` `{ name, data }` → 201 `{ jobId, queueName }`. */
export function submitRoutes(
  jobs: Pick<JobSubmitService, 'submit'>,
  submitLimit: RequestHandler = noRateLimit,
): Router {
  const router = Router();
  router.post('/api/v1/queues/:queue/jobs', submitLimit, async (request, response) => {
    const path = queuePathSchema.safeParse(request.params);
    if (!path.success)
      throw new ApiError('QW_BAD_REQUEST', `queue: ${path.error.issues[0]?.message ?? 'invalid'}`);
    const queue = path.data.queue;
    if (!request.is('application/json')) {
      throw new ApiError('QW_BAD_REQUEST', 'send the job as JSON: { "name": "…", "data": { … } }');
    }
    const parsed = submitJobRequestSchema.safeParse(request.body);
    if (!parsed.success) {
      throw new ApiError(
        'QW_BAD_REQUEST',
        parsed.error.issues.map((issue) => issue.message).join('; '),
      );
    }
    const outcome = await jobs.submit(queue, parsed.data.name, parsed.data.data ?? {});
    if (!outcome.submitted)
      throw new ApiError('QW_NOT_FOUND', `queue "${queue}" is not watched by Queuewatch`);
    response.status(201).json(outcome.body);
  });
  return router;
}
