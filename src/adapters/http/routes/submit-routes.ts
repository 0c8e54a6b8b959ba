import { Router, type RequestHandler } from 'express';
import type { ConsoleCommands } from '../../../application/console/console-commands.js';
import type { JobSubmitService } from '../../../application/queues/job-submit-service.js';
import { ApiError } from '../api-error.js';
import { callerOf } from '../caller-auth.js';
import { commandValue } from '../command-answer.js';
import { noRateLimit } from '../rate-limit.js';
import { queuePathSchema, submitJobRequestSchema } from '../schemas/jobs.js';

/**
 * `POST /api/v1/queues/:queue/jobs` `{ name, data }` → 201 `{ jobId, queueName }`: an operator's
 * command (`add-job`), audited.
 */
export function submitRoutes(
  jobs: Pick<JobSubmitService, 'submit'>,
  commands: ConsoleCommands,
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
    const { name, data } = parsed.data;
    const body = commandValue(
      await commands.run(
        callerOf(response),
        { action: 'add-job', queueName: queue, jobIds: [], filter: { name } },
        async () => {
          const outcome = await jobs.submit(queue, name, data ?? {});
          if (!outcome.submitted) {
            return {
              done: false,
              refusal: {
                code: 'QW_NOT_FOUND',
                message: `queue "${queue}" is not watched by Queuewatch`,
              },
            };
          }
          return { done: true, value: outcome.body, count: 1, jobIds: [outcome.body.jobId] };
        },
      ),
    );
    response.status(201).json(body);
  });
  return router;
}
