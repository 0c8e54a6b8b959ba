import { Router } from 'express';
import type { JobStatusBody } from '../../../application/contract/jobs.js';
import type { JobStatus } from '../../../application/queues/job-status.js';
import type { JobStatusService } from '../../../application/queues/job-status-service.js';
import { ApiError } from '../api-error.js';
import { jobPathSchema } from '../schemas/jobs.js';

/** `GET /api/v1/queues/:queue/jobs/:id`: one job's state, progress and timings. */
export function jobRoutes(jobs: Pick<JobStatusService, 'find'>): Router {
  const router = Router();
  router.get('/api/v1/queues/:queue/jobs/:id', async (request, response) => {
    const parsed = jobPathSchema.safeParse(request.params);
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
    response.set('Cache-Control', 'no-store').json(toJobStatusBody(lookup.job));
  });
  return router;
}

/** A job's status as the wire contract shapes it. */
function toJobStatusBody(job: JobStatus): JobStatusBody {
  return {
    id: job.id,
    queueName: job.queueName,
    name: job.name,
    state: job.state,
    progress: job.progress,
    attemptsMade: job.attemptsMade,
    failedReason: job.failedReason,
    processedOn: job.processedOn,
    finishedOn: job.finishedOn,
    processingTime: job.processingTime,
  };
}
