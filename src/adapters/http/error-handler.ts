import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { ErrorBody } from '../../application/contract/errors.js';
import type { Logger } from '../../application/ports/logger.port.js';
import { ApiError, isApiError } from './api-error.js';
import { bodyLimits } from './request-body.js';

/** Any route nobody answered: a JSON 404. */
export const notFound: RequestHandler = (request, _response, next) => {
  next(new ApiError('QW_NOT_FOUND', `no route for ${request.method} ${request.path}`));
};

/** Turns every error into `{ error: { code, message } }`; unexpected ones are logged, not shown. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, request, response, next) => {
    if (response.headersSent) {
      next(error);
      return;
    }
    const apiError = isApiError(error) ? error : fromExpressError(error);
    if (apiError.code === 'QW_INTERNAL') {
      logger.error('request failed', {
        method: request.method,
        path: request.path,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
    const body: ErrorBody = { error: { code: apiError.code, message: apiError.message } };
    response.status(apiError.status).json(body);
  };
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
