import type { RequestHandler, Response } from 'express';
import { anonymousCaller, type Caller, type ConsoleToken } from '../../domain/console/caller.js';
import { ApiError } from './api-error.js';
import { tokenMatcher } from './bearer-auth.js';

/**
 * Who holds a token, if anyone: every configured token is compared, each in constant time and
 * all of them whatever matched first, so timing tells neither which token matched nor how close
 * a guess came.
 */
export function tokenDirectory(
  tokens: readonly ConsoleToken[],
): (candidate: string) => Caller | null {
  const entries = tokens.map((entry) => ({
    caller: { name: entry.name, role: entry.role },
    matches: tokenMatcher(entry.token),
  }));
  return (candidate) => {
    let found: Caller | null = null;
    for (const entry of entries) {
      if (entry.matches(candidate) && found === null) found = entry.caller;
    }
    return found;
  };
}

/**
 * Names the caller of every request it guards (`callerOf(response)`): the holder of the bearer
 * token, or 401. Without any configured token every caller is `anonymous`, an admin.
 */
export function callerAuth(tokens: readonly ConsoleToken[]): RequestHandler {
  if (tokens.length === 0) {
    return (_request, response, next) => {
      response.locals.caller = anonymousCaller;
      next();
    };
  }
  const holderOf = tokenDirectory(tokens);
  return (request, response, next) => {
    const header = request.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) {
      next(
        new ApiError(
          'QW_UNAUTHORIZED',
          'missing bearer token: send "Authorization: Bearer <token>" (QUEUEWATCH_API_TOKEN or a token of auth.tokens)',
        ),
      );
      return;
    }
    const caller = holderOf(match[1]);
    if (caller === null) {
      next(new ApiError('QW_UNAUTHORIZED', 'the bearer token is not valid'));
      return;
    }
    response.locals.caller = caller;
    next();
  };
}

/** The caller `callerAuth` named; a route it does not guard has none, and refuses. */
export function callerOf(response: Response): Caller {
  const caller: unknown = response.locals.caller;
  if (isCaller(caller)) return caller;
  throw new ApiError('QW_UNAUTHORIZED', 'this route does not know who is calling');
}

function isCaller(value: unknown): value is Caller {
  return typeof value === 'object' && value !== null && 'name' in value && 'role' in value;
}
