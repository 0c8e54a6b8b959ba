import { z } from 'zod';
import type { QueueListBody, QueueListItem } from '../../../application/contract/queues.js';
import { describes } from './describes.js';
import { jobCountsSchema } from './health.js';

const queueListItemSchema = describes<QueueListItem>()(
  z
    .object({
      name: z.string(),
      counts: jobCountsSchema.nullable(),
      isPaused: z.boolean().nullable(),
      error: z
        .string()
        .optional()
        .meta({ description: 'Why the queue could not be read (then `counts` is `null`).' }),
    })
    .meta({ id: 'QueueListItem' }),
);

/** `GET /api/v1/queues`. */
export const queueListSchema = describes<QueueListBody>()(
  z.object({ queues: z.array(queueListItemSchema) }).meta({ id: 'QueueList' }),
);
