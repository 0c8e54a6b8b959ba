import type { JobCounts } from '../../domain/queue-health/index.js';

/** One queue in `GET /api/v1/queues`; `counts` is `null` when it could not be read. */
export interface QueueListItem {
  readonly name: string;
  readonly counts: JobCounts | null;
  readonly isPaused: boolean | null;
  readonly error?: string;
}

/** The body of `GET /api/v1/queues`. */
export interface QueueListBody {
  readonly queues: readonly QueueListItem[];
}
