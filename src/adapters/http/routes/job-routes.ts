import { Router } from 'express';
import { z } from 'zod';
import type { JobStatusService } from '../../../application/queues/job-status-service.js';
import { ApiError } from '../api-error.js';

const params = z.object({
  queue: z
    .string()
    .min(1)
    .max(256)
    .regex(/^[^:]+$/, 'a queue name has no colon'),
  id: z.string().min(1).max(256),
});

/** `GET /api/v1/queues/:queue/jobs/:id`: one job's state, progress and timings. */
export function jobRoutes(jobs: Pick<JobStatusService, 'find'>): Router {
  const router = Router();
  router.get('/api/v1/queues/:queue/jobs/:id', async (request, response) => {
    const parsed = params.safeParse(request.params);
    if (!parsed.success) {
      throw new ApiError(
        'QW_BAD_REQUEST',
        parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
      );
    }
    const { queue, id } = parsed.data;
    const lookup = await jobs.find(queue, id);
    if (!lookup.found) {
      throw new ApiError(
        'QW_NOT_FOUND',
        lookup.reason === 'unknown-queue'
          ? `queue "${queue}" is not watched by Queuewatch`
          : `queue "${queue}" has no job "${id}"`,
      );
    }
    response.set('Cache-Control', 'no-store').json(lookup.job);
  });
  return router;
}
