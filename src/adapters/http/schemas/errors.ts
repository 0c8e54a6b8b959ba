import { z } from 'zod';
import type { ErrorBody } from '../../../application/contract/errors.js';
import { statusOf, type ApiErrorCode } from '../api-error.js';
import { describes } from './describes.js';

type Codes = readonly [ApiErrorCode, ...ApiErrorCode[]];

/**
 * Every code of `api-error.ts`: `statusOf` is a record over `ApiErrorCode`, so its keys are
 * exactly the codes, each once.
 */
const apiErrorCodes = Object.keys(statusOf) as unknown as Codes;

const message = z
  .string()
  .meta({ description: 'What went wrong and, where it helps, what to do.' });

/** `{ error: { code, message } }` with `code` one of `codes`. */
function errorBody(codes: Codes) {
  return z.object({
    error: z.object({ code: z.enum(codes), message }),
  }) satisfies z.ZodType<ErrorBody>;
}

const currentState = z.string().meta({
  description: 'The state the job (or queue) is in, which does not allow the action.',
});

/**
 * The error bodies the API answers with, each naming the codes it may carry; the HTTP status of
 * each is `statusOf` its codes. `any` is every code: what every error body is.
 */
export const errorBodySchemas = {
  any: describes<{ error: { code: ApiErrorCode; message: string; state?: string } }>()(
    z
      .object({
        error: z.object({
          code: z.enum(apiErrorCodes),
          message,
          state: currentState.optional(),
        }),
      })
      .meta({
        id: 'Error',
        description: 'Every error the API answers with; the codes are listed in docs/errors.md.',
      }),
  ),
  badRequest: errorBody(['QW_BAD_REQUEST']).meta({ id: 'BadRequestError' }),
  unauthorized: errorBody(['QW_UNAUTHORIZED']).meta({ id: 'UnauthorizedError' }),
  forbiddenHost: errorBody(['QW_FORBIDDEN_HOST']).meta({ id: 'ForbiddenHostError' }),
  forbidden: errorBody(['QW_FORBIDDEN_ORIGIN', 'QW_FORBIDDEN_HOST']).meta({ id: 'ForbiddenError' }),
  /** A change the caller may not make: its role is too low, or Queuewatch is read-only. */
  forbiddenChange: errorBody([
    'QW_FORBIDDEN_ROLE',
    'QW_READ_ONLY',
    'QW_FORBIDDEN_ORIGIN',
    'QW_FORBIDDEN_HOST',
  ]).meta({ id: 'ForbiddenChangeError' }),
  invalidState: z
    .object({
      error: z.object({ code: z.enum(['QW_INVALID_STATE']), message, state: currentState }),
    })
    .meta({ id: 'InvalidStateError' }),
  notFound: errorBody(['QW_NOT_FOUND']).meta({ id: 'NotFoundError' }),
  payloadTooLarge: errorBody(['QW_PAYLOAD_TOO_LARGE']).meta({ id: 'PayloadTooLargeError' }),
  unsupportedMediaType: errorBody(['QW_UNSUPPORTED_MEDIA_TYPE']).meta({
    id: 'UnsupportedMediaTypeError',
  }),
  rateLimited: errorBody(['QW_RATE_LIMITED']).meta({ id: 'RateLimitedError' }),
  redis: errorBody(['QW_REDIS_TIMEOUT', 'QW_REDIS_UNAVAILABLE', 'QW_REDIS_REFUSED']).meta({
    id: 'RedisError',
  }),
} as const;

/** One of the error bodies above. */
export type ErrorBodySchema = (typeof errorBodySchemas)[keyof typeof errorBodySchemas];
