import type { ResponseConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { statusOf } from '../api-error.js';
import { errorBodySchemas, type ErrorBodySchema } from '../schemas/errors.js';

/** A JSON answer with its body's schema. */
export function jsonResponse(
  description: string,
  schema: z.ZodType,
  headers?: z.ZodObject,
): ResponseConfig {
  return {
    description,
    ...(headers ? { headers } : {}),
    content: { 'application/json': { schema } },
  };
}

const retryAfter = z
  .string()
  .regex(/^[1-9][0-9]*$/)
  .meta({ description: 'In how many seconds to try again.' });

/** Headers of a 503 from Redis failing to serve: the error handler always sets `Retry-After: 2`. */
const redisHeaders = z.object({ 'Retry-After': retryAfter });

/** Headers of a 429: express-rate-limit's (draft-7) `RateLimit*` and `Retry-After`. */
const rateLimitHeaders = z.object({
  'Retry-After': retryAfter,
  RateLimit: z.string().meta({ description: 'e.g. `limit=10, remaining=0, reset=42`.' }),
  'RateLimit-Policy': z.string().meta({ description: 'e.g. `10;w=60`: 10 per 60 s.' }),
});

/** What an error answer may be about; each kind has its body and so its status. */
export type ErrorKind = Exclude<keyof typeof errorBodySchemas, 'any'>;

const headersOf: Partial<Record<ErrorKind, z.ZodObject>> = {
  rateLimited: rateLimitHeaders,
  redis: redisHeaders,
};

/** The status of an error body: the one status all its codes have in `statusOf`. */
export function statusOfBody(schema: ErrorBodySchema): number {
  const statuses = new Set(schema.shape.error.shape.code.options.map((code) => statusOf[code]));
  const [status] = statuses;
  if (statuses.size !== 1 || status === undefined) {
    throw new Error(
      `an error body must carry codes of one status, not ${[...statuses].join(', ')}`,
    );
  }
  return status;
}

/**
 * The error answers of an operation, keyed by status: each kind with what it means for this
 * operation, e.g. `errorResponses({ notFound: 'No such job.' })`.
 */
export function errorResponses(
  answers: Partial<Record<ErrorKind, string>>,
): Record<string, ResponseConfig> {
  const responses: Record<string, ResponseConfig> = {};
  for (const [kind, description] of Object.entries(answers) as [ErrorKind, string][]) {
    const status = String(statusOfBody(errorBodySchemas[kind]));
    if (status in responses) throw new Error(`two error answers for status ${status}`);
    responses[status] = jsonResponse(description, errorBodySchemas[kind], headersOf[kind]);
  }
  return responses;
}

/** Any other error (an unexpected failure: 500 `QW_INTERNAL`, say): the error body. */
export const otherErrors: ResponseConfig = jsonResponse(
  'Any other error, e.g. 500 `QW_INTERNAL` (an unexpected failure; the details are in the log).',
  errorBodySchemas.any,
);
