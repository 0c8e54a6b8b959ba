import { createHash } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type RateLimitInfo } from 'express-rate-limit';
import type { Logger } from '../../application/ports/logger.port.js';
import type { ConsoleToken } from '../../domain/console/caller.js';
import { ApiError } from './api-error.js';
import {
  RecoveringRedisStore,
  StoreUnavailableError,
  type SendRedisCommand,
  type StoreOutage,
} from './recovering-redis-store.js';

export type { SendRedisCommand } from './recovering-redis-store.js';

/** How many requests one client may make per window; `limit: 0` turns the limit off. */
export interface RateLimitPolicy {
  readonly limit: number;
  readonly windowMs: number;
}

/** What every limiter shares. */
export interface RateLimitingOptions {
  /** Sends one raw command to the Redis that holds the counters (shared by every instance). */
  readonly sendCommand: SendRedisCommand;
  /**
   * The configured tokens: a request that came with one is counted by (a salted hash of) its
   * token, each token apart; without tokens, clients are counted by address.
   */
  readonly tokens: readonly ConsoleToken[];
  readonly logger: Logger;
  /** Where the counters' keys start; `rateLimitKeyPrefix` unless told (a cluster tags it). */
  readonly keyPrefix?: string;
}

/**
 * Makes a limiter for one family of endpoints, e.g.
 * `router.post(path, limit('test-alerts', 'test alerts', policy), handler)`.
 * `name` keeps its counters apart in Redis; `what` names the requests in the 429 message.
 */
export type RateLimiterFactory = (
  name: string,
  what: string,
  policy: RateLimitPolicy,
) => RequestHandler;

/** Redis key prefix of every counter: `queuewatch:rate-limit:<name>:<client>`. */
export const rateLimitKeyPrefix = 'queuewatch:rate-limit:';

/** A limiter that lets everything through (a route's default, and `limit: 0`). */
export const noRateLimit: RequestHandler = (_request, _response, next) => {
  next();
};

/**
 * Limiters whose counters live in Redis, so a limit holds across every Queuewatch instance that
 * shares it. A fixed window per client: the first request starts it, the counter expires with it.
 * While Redis does not answer, requests pass uncounted (failing open: the endpoint answers as it
 * would, and a rate limit must not take down what it protects); the outage is logged once, and
 * so is the recovery.
 */
export function redisRateLimiting(options: RateLimitingOptions): RateLimiterFactory {
  const outage = loggedOnce(options.logger);
  // The token itself never reaches Redis, nor its plain hash: a salted, shortened digest does.
  const keyOfCaller = new Map(
    options.tokens.map((entry) => [
      entry.name,
      `token:${createHash('sha256')
        .update(`queuewatch rate limit\0${entry.token}`)
        .digest('hex')
        .slice(0, 32)}`,
    ]),
  );
  return (name, what, policy) => {
    if (policy.limit === 0) return noRateLimit;
    const limiter = rateLimit({
      windowMs: policy.windowMs,
      limit: policy.limit,
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      store: new RecoveringRedisStore(
        {
          sendCommand: options.sendCommand,
          prefix: `${options.keyPrefix ?? rateLimitKeyPrefix}${name}:`,
        },
        outage,
      ),
      keyGenerator: (request, response) =>
        keyOfCaller.get(callerName(response.locals.caller)) ??
        `address:${ipKeyGenerator(request.ip ?? 'unknown', 56)}`,
      // Whole seconds until the window ends, never 0 (the library rounds a last moment down).
      retryAfter: (request: Request) => {
        const resetTime = (request as Request & { rateLimit?: RateLimitInfo }).rateLimit?.resetTime;
        // express-rate-limit sets resetTime on the machine's clock: read it on the same one.
        const remainingMs =
          resetTime === undefined ? policy.windowMs : resetTime.getTime() - Date.now();
        return Math.max(1, Math.ceil(remainingMs / 1_000));
      },
      handler: (_request, response, next) => {
        const retryAfter = String(response.getHeader('Retry-After') ?? '');
        next(
          new ApiError(
            'QW_RATE_LIMITED',
            `too many ${what}: at most ${String(policy.limit)} per ${describeWindow(policy.windowMs)}` +
              (retryAfter === '' ? '' : `; try again in ${retryAfter} s`),
          ),
        );
      },
      logger: {
        error: (error: unknown, message?: string) => {
          options.logger.warn(message ?? 'rate limiter error', { reason: String(error) });
        },
        warn: (error: unknown, message?: string) => {
          options.logger.warn(message ?? 'rate limiter warning', { reason: String(error) });
        },
      },
    });
    return (request, response, next) => {
      void limiter(request, response, (error?: unknown) => {
        // Fail open: an unreachable Redis lets the request through, to answer as it would.
        next(error instanceof StoreUnavailableError ? undefined : error);
      });
    };
  };
}

/** Logs the first failure of an outage and the first success after it, nothing in between. */
function loggedOnce(logger: Logger): StoreOutage {
  let down = false;
  return {
    failed: (reason) => {
      if (down) return;
      down = true;
      logger.warn('rate limits are not enforced: Redis does not answer; requests pass uncounted', {
        reason,
      });
    },
    succeeded: () => {
      if (!down) return;
      down = false;
      logger.info('rate limits are enforced again: Redis answers');
    },
  };
}

/** The name of the caller the auth guard named, if any. */
function callerName(caller: unknown): string {
  return typeof caller === 'object' && caller !== null && 'name' in caller
    ? String(caller.name)
    : '';
}

function describeWindow(windowMs: number): string {
  if (windowMs === 60_000) return 'minute';
  if (windowMs % 60_000 === 0) return `${String(windowMs / 60_000)} minutes`;
  if (windowMs % 1_000 === 0) return `${String(windowMs / 1_000)} s`;
  return `${String(windowMs)} ms`;
}
