import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * A constant-time check of a candidate against a token (shared with the socket gateway). Both
 * sides are hashed before the comparison, so neither the token's content nor its length leaks
 * through timing.
 */
export function tokenMatcher(token: string): (candidate: string) => boolean {
  const expected = digest(token);
  return (candidate) => timingSafeEqual(digest(candidate), expected);
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
