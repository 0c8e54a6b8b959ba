import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { forecastSchema, scalingSchema } from '../../schemas/forecast.js';
import { queuePathSchema } from '../../schemas/jobs.js';
import { errorResponses, jsonResponse } from '../responses.js';

const redis = 'Redis did not answer in time, is away, or refused the command.';
const errors = {
  badRequest: 'The queue name is not valid.',
  notFound: 'The queue is not watched.',
  redis,
};

/** `forecast-routes.ts`. */
export const forecastOperations: readonly RouteConfig[] = [
  {
    method: 'get',
    path: '/api/v1/queues/{queue}/forecast',
    operationId: 'getQueueForecast',
    tags: ['forecast'],
    summary:
      "A queue's arrival and service rates, when its backlog drains, and the workers it needs",
    request: { params: queuePathSchema },
    responses: { 200: jsonResponse('The forecast.', forecastSchema), ...errorResponses(errors) },
  },
  {
    method: 'get',
    path: '/api/v1/queues/{queue}/scaling',
    operationId: 'getQueueScaling',
    tags: ['forecast'],
    summary: "The workers a queue needs, shaped for KEDA's Metrics API scaler",
    request: { params: queuePathSchema },
    responses: { 200: jsonResponse('The signal.', scalingSchema), ...errorResponses(errors) },
  },
];
