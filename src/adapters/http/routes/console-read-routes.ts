import { Router, type Request } from 'express';
import type { JobPageBody, JobSearchBody } from '../../../application/contract/console.js';
import type { Found, JobReadService } from '../../../application/console/job-read-service.js';
import type { JobSearchService } from '../../../application/console/job-search-service.js';
import type { ListPosition } from '../../../application/ports/job-browser.port.js';
import { ApiError } from '../api-error.js';
import { decodeCursor, encodeCursor, type CursorKind } from '../console-cursor.js';
import { parseQuery } from '../query.js';
import {
  jobListQuerySchema,
  jobLookupQuerySchema,
  jobSearchQuerySchema,
} from '../schemas/console-lists.js';
import { jobLogsQuerySchema } from '../schemas/console-detail.js';
import { jobPathSchema, queuePathSchema } from '../schemas/jobs.js';

type Reads = Pick<JobReadService, 'list' | 'locate' | 'detail' | 'logs' | 'schedulers'>;

/**
 * The console's reads: job lists, search, lookup by id, one job in full, its logs, the
 * schedulers of a queue. Every answer is `no-store`: it is a moment of a moving queue.
 */
export function consoleReadRoutes(reads: Reads, search: Pick<JobSearchService, 'search'>): Router {
  const router = Router();

  router.get('/api/v1/queues/:queue/jobs', async (request, response) => {
    const queue = queueOf(request);
    const query = parseQuery(jobListQuerySchema, request.query);
    const from: ListPosition =
      query.cursor !== undefined
        ? positionOf(query.cursor, 'list', query.state, query.order)
        : { index: ((query.page ?? 1) - 1) * query.limit, after: null };
    const page = found(await reads.list(queue, query.state, query.order, query.limit, from), queue);
    const body: JobPageBody = {
      queueName: page.queueName,
      state: page.state,
      order: page.order,
      jobs: page.jobs,
      total: page.total,
      nextCursor: page.next && encodeCursor('list', page.state, page.order, page.next),
    };
    response.set('Cache-Control', 'no-store').json(body);
  });

  router.get('/api/v1/queues/:queue/search', async (request, response) => {
    const queue = queueOf(request);
    const query = parseQuery(jobSearchQuerySchema, request.query);
    const from: ListPosition =
      query.cursor !== undefined
        ? positionOf(query.cursor, 'search', query.state, query.order)
        : { index: 0, after: null };
    const result = found(
      await search.search({
        queueName: queue,
        state: query.state,
        order: query.order,
        query: {
          name: query.name,
          data: query.data,
          path:
            query.path === undefined || query.value === undefined
              ? undefined
              : { path: query.path, value: query.value },
        },
        from,
        scanLimit: query.scanLimit,
        limit: query.limit,
      }),
      queue,
    );
    const body: JobSearchBody = {
      queueName: result.queueName,
      state: result.state,
      jobs: result.jobs,
      scanned: result.scanned,
      total: result.total,
      cursor: result.next && encodeCursor('search', result.state, query.order, result.next),
    };
    response.set('Cache-Control', 'no-store').json(body);
  });

  router.get('/api/v1/jobs', async (request, response) => {
    const { id } = parseQuery(jobLookupQuerySchema, request.query);
    response.set('Cache-Control', 'no-store').json(await reads.locate(id));
  });

  router.get('/api/v1/queues/:queue/jobs/:id/details', async (request, response) => {
    const { queue, id } = jobOf(request);
    response.set('Cache-Control', 'no-store').json(found(await reads.detail(queue, id), queue, id));
  });

  router.get('/api/v1/queues/:queue/jobs/:id/logs', async (request, response) => {
    const { queue, id } = jobOf(request);
    const { offset, limit } = parseQuery(jobLogsQuerySchema, request.query);
    const logs = found(await reads.logs(queue, id, offset, limit), queue, id);
    response.set('Cache-Control', 'no-store').json(logs);
  });

  router.get('/api/v1/queues/:queue/schedulers', async (request, response) => {
    const queue = queueOf(request);
    response.set('Cache-Control', 'no-store').json(found(await reads.schedulers(queue), queue));
  });

  return router;
}

function queueOf(request: Request): string {
  const path = queuePathSchema.safeParse(request.params);
  if (!path.success) {
    throw new ApiError('QW_BAD_REQUEST', `queue: ${path.error.issues[0]?.message ?? 'invalid'}`);
  }
  return path.data.queue;
}

function jobOf(request: Request): { queue: string; id: string } {
  const path = jobPathSchema.safeParse(request.params);
  if (!path.success) {
    throw new ApiError(
      'QW_BAD_REQUEST',
      path.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
    );
  }
  return path.data;
}

function positionOf(
  cursor: string,
  kind: CursorKind,
  state: Parameters<typeof decodeCursor>[2],
  order: Parameters<typeof decodeCursor>[3],
): ListPosition {
  const decoded = decodeCursor(cursor, kind, state, order);
  if (!decoded.ok) throw new ApiError('QW_BAD_REQUEST', decoded.message);
  return decoded.position;
}

/** The value found, or a 404 that says which of queue and job is unknown. */
function found<T>(result: Found<T>, queue: string, id?: string): T {
  if (result.found) return result.value;
  throw new ApiError(
    'QW_NOT_FOUND',
    result.reason === 'unknown-queue'
      ? `queue "${queue}" is not watched by Queuewatch`
      : `queue "${queue}" has no job "${id ?? ''}"`,
  );
}
