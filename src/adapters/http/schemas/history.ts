import { z } from 'zod';
import type { HistoryBody, HistoryPointBody } from '../../../application/contract/history.js';
import { describes } from './describes.js';
import { queuePathSchema } from './jobs.js';

const ranges = ['1h', '24h', '7d', '30d'] as const;

/** The query of both history routes. */
export const historyQuerySchema = z
  .object({
    range: z
      .enum(ranges, { error: `range must be one of ${ranges.join(', ')}` })
      .default('1h')
      .meta({ description: 'Minute points for `1h` and `24h`, hour points for `7d` and `30d`.' }),
  })
  .strict();

/** The path of `GET /api/v1/queues/{queue}/history`. */
export const historyPathSchema = queuePathSchema;

const count = z.number().int().min(0);
const reading = count.nullable();
const ms = z.number().min(0).nullable();

const historyPointSchema = describes<HistoryPointBody>()(
  z
    .object({
      at: z.iso.datetime().meta({ description: 'The start of the minute or hour.' }),
      added: count,
      completed: count,
      failed: count.meta({ description: 'Jobs that failed for good.' }),
      retried: count.meta({
        description: 'Attempts that went back to wait for another (failed to retry, stalled).',
      }),
      backlog: reading.meta({
        description: 'Waiting + prioritized + delayed jobs now due, last read in the step.',
      }),
      active: reading,
      workers: reading,
      waitP50Ms: ms,
      waitP95Ms: ms,
      processingP50Ms: ms,
      processingP95Ms: ms,
    })
    .meta({ id: 'HistoryPoint', description: 'One minute or hour.' }),
);

/** Both history routes. */
export const historySchema = describes<HistoryBody>()(
  z
    .object({
      queueName: z.string().nullable().meta({ description: '`null`: every queue added up.' }),
      range: z.enum(ranges),
      stepSeconds: z.number().int().positive(),
      points: z.array(historyPointSchema).meta({ description: 'Oldest first.' }),
    })
    .meta({ id: 'History' }),
);
