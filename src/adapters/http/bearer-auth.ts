import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ApiError } from './api-error.js';

/**
 * Require `Authorization: Bearer <token>`. Both sides are hashed before the constant-time
 * comparison, so neither the token's content nor its length leaks through timing.
 */
export function bearerAuth(token: string): RequestHandler {
  const matches = tokenMatcher(token);
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
    if (!matches(match[1])) {
      next(new ApiError('QW_UNAUTHORIZED', 'the bearer token is not valid'));
      return;
    }
    next();
  };
}

/** A constant-time check of a candidate against the token (shared with the socket gateway). */
export function tokenMatcher(token: string): (candidate: string) => boolean {
  const expected = digest(token);
  return (candidate) => timingSafeEqual(digest(candidate), expected);
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
