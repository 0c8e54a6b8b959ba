import type { RequestHandler } from 'express';
import { ApiError } from './api-error.js';
import type { OriginPolicy } from './origin-policy.js';

/** Methods that change state; reads (GET, HEAD, OPTIONS) pass these guards. */
const stateChanging = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The guards every request passes before a route (docs/security.md):
 * - a `Host` Queuewatch answers to (on loopback: the DNS-rebinding guard), for every request;
 * - for a state-changing request, no cross-origin `Origin`, and `Content-Type: application/json`.
 *   A page elsewhere can send a form or a `no-cors` fetch without asking, but only with a
 *   form or text type; a JSON type needs a CORS preflight first, which Queuewatch never grants.
 */
export function requestGuards(policy: OriginPolicy): RequestHandler {
  return (request, _response, next) => {
    const host = request.headers.host;
    const refusal =
      policy.checkHost(host) ??
      (stateChanging.has(request.method) ? policy.checkOrigin(request.headers.origin, host) : null);
    if (refusal !== null) {
      next(new ApiError(refusal.code, refusal.message));
      return;
    }
    if (stateChanging.has(request.method) && !isJson(request.headers['content-type'])) {
      next(
        new ApiError(
          'QW_UNSUPPORTED_MEDIA_TYPE',
          `${request.method} needs "Content-Type: application/json" (with a JSON body, or none)`,
        ),
      );
      return;
    }
    next();
  };
}

/** `application/json`, with or without parameters such as `charset=utf-8`. */
function isJson(contentType: string | undefined): boolean {
  return contentType?.split(';', 1)[0]?.trim().toLowerCase() === 'application/json';
}
