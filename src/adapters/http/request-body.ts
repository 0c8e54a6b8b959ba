import express, { type RequestHandler } from 'express';
import { ApiError } from './api-error.js';

/** The largest JSON body Queuewatch reads, and how deep it may nest (docs/security.md). */
export const bodyLimits = { kilobytes: 100, depth: 32 } as const;

/**
 * Parse a JSON body, then refuse one nested deeper than `bodyLimits.depth` before any route
 * sees it: a body nested thousands deep parses, but would overflow the stack of whatever walks it
 * recursively next (JSON.stringify, a schema).
 */
export function jsonBody(): RequestHandler[] {
  return [
    express.json({ limit: `${String(bodyLimits.kilobytes)}kb` }),
    (request, _response, next) => {
      if (nestsDeeperThan(request.body, bodyLimits.depth)) {
        next(
          new ApiError(
            'QW_BAD_REQUEST',
            `the JSON body is nested more than ${String(bodyLimits.depth)} levels deep`,
          ),
        );
        return;
      }
      next();
    },
  ];
}

/**
 * Whether a parsed JSON value nests deeper than `limit` (an object or array is level 1).
 * Iterative, with its own stack, so that judging a deep value cannot exhaust the call stack.
 */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [current, depth] = next;
    if (typeof current !== 'object' || current === null) continue;
    if (depth > limit) return true;
    for (const child of Object.values(current)) {
      if (typeof child === 'object' && child !== null) pending.push([child, depth + 1]);
    }
  }
  return false;
}
