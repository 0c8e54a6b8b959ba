import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { ErrorBody } from '../../application/contract/errors.js';
import type { Logger } from '../../application/ports/logger.port.js';
import { ApiError, isApiError } from './api-error.js';
import { bodyLimits } from './request-body.js';
import { reasonOf } from '../../domain/wording/reason.js';

/** Any route nobody answered: a JSON 404. */
export const notFound: RequestHandler = (request, _response, next) => {
  next(new ApiError('QW_NOT_FOUND', `no route for ${request.method} ${request.path}`));
};

/** Says whether an error is the store (Redis) failing to serve, and how. */
export type StoreFailureOf = (error: unknown) => 'timeout' | 'unavailable' | 'refused' | null;

/** How long a client should wait before asking again after Redis failed to serve (s). */
const retryAfterSeconds = 2;

/**
 * Turns every error into `{ error: { code, message } }`: Redis failing to serve is a 503 with a
 * Redis code and `Retry-After`; unexpected ones are logged, not shown.
 */
export function errorHandler(logger: Logger, storeFailureOf?: StoreFailureOf): ErrorRequestHandler {
  // Express knows an error handler by its four parameters; the fourth is not needed here.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  return (error: unknown, request, response, _next) => {
    // Answered already (e.g. by the deadline): a late failure has nobody left to tell.
    if (response.headersSent) return;
    const apiError = isApiError(error)
      ? error
      : (fromStoreFailure(error, storeFailureOf) ?? fromExpressError(error));
    if (apiError.status === 503) response.set('Retry-After', String(retryAfterSeconds));
    if (apiError.code === 'QW_INTERNAL') {
      logger.error('request failed', {
        method: request.method,
        path: request.path,
        reason: reasonOf(error),
      });
    }
    const body: ErrorBody = {
      error: {
        code: apiError.code,
        message: apiError.message,
        ...(apiError.state === undefined ? {} : { state: apiError.state }),
      },
    };
    response.status(apiError.status).json(body);
  };
}

function fromStoreFailure(error: unknown, storeFailureOf?: StoreFailureOf): ApiError | null {
  const reason = reasonOf(error);
  switch (storeFailureOf?.(error) ?? null) {
    case 'timeout':
      return new ApiError('QW_REDIS_TIMEOUT', `Redis did not answer in time: ${reason}`);
    case 'unavailable':
      return new ApiError('QW_REDIS_UNAVAILABLE', `Redis is not reachable: ${reason}`);
    case 'refused':
      return new ApiError('QW_REDIS_REFUSED', `Redis refused the command: ${reason}`);
    case null:
      return null;
  }
}

/** Body-parser and friends signal client mistakes with a 4xx `status`. */
function fromExpressError(error: unknown): ApiError {
  const status =
    typeof error === 'object' && error !== null && 'status' in error ? Number(error.status) : 500;
  if (status === 413) {
    return new ApiError(
      'QW_PAYLOAD_TOO_LARGE',
      `the request body is larger than ${String(bodyLimits.kilobytes)} kB`,
    );
  }
  if (status === 415) {
    // body-parser: a charset or Content-Encoding it cannot decode; its message names which.
    const message = error instanceof Error ? error.message : 'unsupported media type';
    return new ApiError('QW_UNSUPPORTED_MEDIA_TYPE', message);
  }
  if (status >= 400 && status < 500) {
    const message = error instanceof Error ? error.message : 'bad request';
    return new ApiError('QW_BAD_REQUEST', message);
  }
  return new ApiError('QW_INTERNAL', 'internal error; see the Queuewatch log');
}
