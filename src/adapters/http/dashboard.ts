import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router } from 'express';

/** Paths that belong to the server, never to the dashboard's client-side routes. */
const serverPaths = /^\/(api|socket\.io|livez|readyz|metrics)(\/|$)/;

/**
 * The dashboard: the built files of `web/dist`, and `index.html` for every other GET so that
 * client-side routes can be deep-linked. Without a build, `/` says how to make one.
 */
export function dashboardRoutes(webRoot: string): Router {
  const router = Router();
  const index = join(webRoot, 'index.html');
  router.use(express.static(webRoot, { index: false, maxAge: '1h', immutable: false }));
  router.get(/.*/, (request, response, next) => {
    if (serverPaths.test(request.path)) {
      next();
      return;
    }
    if (!existsSync(index)) {
      response
        .status(503)
        .type('text/plain')
        .send('The dashboard is not built yet: run `npm run build`.\n');
      return;
    }
    response.set('Cache-Control', 'no-cache').sendFile(index);
  });
  return router;
}
