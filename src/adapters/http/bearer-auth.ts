import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ApiError } from './api-error.js';

/**
 * Require `Authorization: Bearer <token>`. Both sides are hashed before the constant-time
 * comparison, so neither the token's content nor its length leaks through timing.
 */
export function bearerAuth(token: string): RequestHandler {
  const expected = digest(token);
  return (request, _response, next) => {
    const header = request.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) {
      next(
        new ApiError(
          'QW_UNAUTHORIZED',
          'missing bearer token: send "Authorization: Bearer <QUEUEWATCH_API_TOKEN>"',
        ),
      );
      return;
    }
    if (!timingSafeEqual(digest(match[1]), expected)) {
      next(new ApiError('QW_UNAUTHORIZED', 'the bearer token is not valid'));
      return;
    }
    next();
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
