import { z } from 'zod';
import type {
  QueueForecastBody,
  RecommendationBody,
  ScalingBody,
} from '../../../application/contract/forecast.js';
import { describes } from './describes.js';

const count = z.number().int().min(0);
const reasons = ['wait-target', 'backlog', 'min', 'max', 'no-data'] as const;

const recommendationSchema = describes<RecommendationBody>()(
  z
    .object({
      workers: count,
      reason: z.enum(reasons),
      modelWorkers: count.nullable(),
      concurrency: z.number().int().min(1),
      targetWaitSeconds: z.number().positive(),
      minWorkers: count,
      maxWorkers: count,
    })
    .meta({ id: 'WorkerRecommendation', description: 'The workers the queue needs.' }),
);

/** `GET /api/v1/queues/{queue}/forecast`. */
export const forecastSchema = describes<QueueForecastBody>()(
  z
    .object({
      queueName: z.string(),
      at: z.iso.datetime(),
      backlog: count,
      workers: count.nullable(),
      arrivalPerMinute: z.number().min(0),
      servicePerMinute: z.number().min(0).nullable(),
      meanProcessingSeconds: z.number().min(0).nullable(),
      drain: z.discriminatedUnion('status', [
        z.object({ status: z.literal('empty') }),
        z.object({
          status: z.literal('draining'),
          seconds: z.number().min(0),
          perMinute: z.number().min(0),
        }),
        z.object({ status: z.literal('growing'), perMinute: z.number().min(0) }),
        z.object({ status: z.literal('no-workers') }),
        z.object({ status: z.literal('unknown') }),
      ]),
      predictedWaitSeconds: z.number().min(0).nullable(),
      recommendation: recommendationSchema,
    })
    .meta({ id: 'QueueForecast' }),
);

/** `GET /api/v1/queues/{queue}/scaling`. */
export const scalingSchema = describes<ScalingBody>()(
  z
    .object({
      queueName: z.string(),
      recommendedWorkers: count,
      currentWorkers: count.nullable(),
      reason: z.enum(reasons),
    })
    .meta({ id: 'Scaling', description: "For KEDA's Metrics API scaler." }),
);
