import express, { type Express, type Router } from 'express';
import helmet from 'helmet';
import type { Logger } from '../../application/ports/logger.port.js';
import type { ConsoleToken } from '../../domain/console/caller.js';
import { callerAuth } from './caller-auth.js';
import { errorHandler, notFound, type StoreFailureOf } from './error-handler.js';
import type { OriginPolicy } from './origin-policy.js';
import { jsonBody } from './request-body.js';
import { requestDeadline } from './request-deadline.js';
import { requestGuards } from './request-guards.js';

/** What the HTTP app is assembled from. */
export interface HttpAppParts {
  /** Routes that stay open whatever the auth settings (`/livez`, `/readyz`). */
  readonly openRoutes: readonly Router[];
  /** Routes under `/api` (and `/metrics`), behind the bearer token when one is set. */
  readonly apiRoutes: readonly Router[];
  /** Which pages may call the API (and which Host names it answers to). */
  readonly originPolicy: OriginPolicy;
  /**
   * The tokens `/api` and `/metrics` accept, each naming its holder and role; none leaves them
   * open to everyone, as an admin named `anonymous` (loopback or explicitly anonymous).
   */
  readonly tokens: readonly ConsoleToken[];
  /** The dashboard, served after everything else (its pages are public; its data is behind `/api`). */
  readonly dashboard?: Router;
  readonly logger: Logger;
  /**
   * While this answers false (an application that embeds Queuewatch has closed it), every request
   * passes on untouched, to the application's own routes.
   */
  readonly isOpen?: () => boolean;
  /**
   * Redis failures: which errors they are (answered 503 with a Redis code), and the longest an
   * `/api` request may take before it is answered 503 anyway (ms).
   */
  readonly store?: {
    readonly failureOf: StoreFailureOf;
    readonly deadlineMs: number;
    /** Paths under `/api` that wait on something else than Redis (e.g. a test alert's sends). */
    readonly notBound?: readonly string[];
  };
}

/**
 * The Express app: security headers, the Host, Origin and Content-Type guards, open probes, the
 * token-guarded API, JSON errors.
 */
export function createHttpApp(parts: HttpAppParts): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  const isOpen = parts.isOpen;
  if (isOpen) {
    app.use((_request, _response, next) => {
      if (isOpen()) next();
      else next('router');
    });
  }
  // No upgrade-insecure-requests: Queuewatch is often served over plain HTTP inside a network.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  app.use(requestGuards(parts.originPolicy));
  app.use(jsonBody());
  for (const router of parts.openRoutes) app.use(router);
  const store = parts.store;
  if (store) {
    const deadline = requestDeadline(store.deadlineMs);
    const notBound = new Set(store.notBound ?? []);
    app.use('/api', (request, response, next) => {
      if (notBound.has(request.originalUrl.split('?')[0] ?? '')) next();
      else deadline(request, response, next);
    });
  }
  const guard = callerAuth(parts.tokens);
  app.use('/api', guard);
  app.use('/metrics', guard);
  for (const router of parts.apiRoutes) app.use(router);
  if (parts.dashboard) app.use(parts.dashboard);
  app.use(notFound);
  app.use(errorHandler(parts.logger, store?.failureOf));
  return app;
}
