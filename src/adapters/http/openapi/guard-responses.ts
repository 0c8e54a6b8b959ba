import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { bodyLimits } from '../request-body.js';
import { errorResponses, otherErrors } from './responses.js';

/** What the document is built for. */
export interface GuardOptions {
  /** `QUEUEWATCH_API_TOKEN` is set: `/api` and `/metrics` need `Authorization: Bearer <token>`. */
  readonly bearerAuth: boolean;
}

/** The name of the bearer scheme in `components.securitySchemes`. */
export const bearerScheme = 'bearerAuth';

/** Paths behind the token when one is set: what `create-http-app.ts` guards. */
const tokenGuarded = /^\/(api|metrics)(\/|$)/;

const writeMethods = new Set(['post', 'put', 'patch', 'delete']);

/**
 * An operation with what the middleware in front of every route may answer instead of it
 * (`create-http-app.ts`): the Host guard, for writes the Origin and Content-Type guards and the
 * JSON body parser, the bearer token on `/api` and `/metrics`; and any other error as `default`.
 * What the operation says itself comes first.
 */
export function withGuards(operation: RouteConfig, options: GuardOptions): RouteConfig {
  const guarded = options.bearerAuth && tokenGuarded.test(operation.path);
  const writes = writeMethods.has(operation.method);
  const host =
    "Queuewatch listens on loopback and the request's `Host` is not a loopback name or the " +
    'host of an allowed origin (`QW_FORBIDDEN_HOST`, the DNS-rebinding guard)';
  const guards = errorResponses({
    ...(writes
      ? {
          badRequest: `The body is not valid JSON, or nests more than ${String(bodyLimits.depth)} levels deep.`,
          forbidden:
            `${host}; or the request comes from a page of another origin, neither Queuewatch's ` +
            'own nor in `QUEUEWATCH_ALLOWED_ORIGINS` (`QW_FORBIDDEN_ORIGIN`).',
          payloadTooLarge: `The body is larger than ${String(bodyLimits.kilobytes)} kB.`,
          unsupportedMediaType:
            'The request does not say `Content-Type: application/json` (needed even without a ' +
            'body), or its JSON charset is not UTF-8, 16 or 32.',
        }
      : { forbiddenHost: `${host}.` }),
    ...(guarded
      ? {
          unauthorized:
            'No `Authorization: Bearer <token>` (`QUEUEWATCH_API_TOKEN` or one of `auth.tokens`), or a wrong token.',
        }
      : {}),
  });
  return {
    ...operation,
    ...(guarded ? { security: [{ [bearerScheme]: [] }] } : {}),
    responses: { ...guards, ...operation.responses, default: otherErrors },
  };
}
