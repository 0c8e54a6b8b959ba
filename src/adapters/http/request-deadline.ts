import type { RequestHandler } from 'express';
import type { ErrorBody } from '../../application/contract/errors.js';

/**
 * Answer 503 `QW_REDIS_TIMEOUT` to a request still unanswered after `deadlineMs`, whatever it
 * waits for: each Redis command has its own timeout, but a request may send several one after
 * the other. The handler's late answer, if any, is dropped (see the error handler).
 */
export function requestDeadline(deadlineMs: number): RequestHandler {
  return (_request, response, next) => {
    const timer = setTimeout(() => {
      if (response.headersSent) return;
      const body: ErrorBody = {
        error: {
          code: 'QW_REDIS_TIMEOUT',
          message: `no answer within ${String(deadlineMs)} ms: Redis is slow or paused; try again`,
        },
      };
      response.status(503).set('Retry-After', '2').json(body);
    }, deadlineMs);
    const done = (): void => {
      clearTimeout(timer);
    };
    response.once('finish', done);
    response.once('close', done);
    next();
  };
}
