import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import express, { Router } from 'express';

/** Paths that belong to the server, never to the dashboard's client-side routes. */
const serverPaths = /^\/(api|socket\.io|livez|readyz|metrics)(\/|$)/;

/** How the dashboard finds the server from wherever it is mounted. */
export interface DashboardOptions {
  /** Where the progress gateway is served (`/queues/socket.io`); `null` until it is. */
  readonly socketPath?: () => string | null;
}

/**
 * The dashboard: the built files of `web/dist`, and `index.html` for every other GET so that
 * client-side routes can be deep-linked. Without a build, `/` says how to make one.
 *
 * The build is path-independent (Vite `base: './'`); where it is mounted is known only per
 * request (`request.baseUrl`: `''` standalone, `/queues` in an application that mounted it
 * there), so `index.html` is completed as it is served: its `./` URLs become absolute, and two
 * `<meta>` tags tell the page its mount path (for its routes and API calls) and the socket's path.
 */
export function dashboardRoutes(webRoot: string, options: DashboardOptions = {}): Router {
  const router = Router();
  const index = join(webRoot, 'index.html');
  const assets = express.static(webRoot, { index: false, maxAge: '1h', immutable: false });
  router.use((request, response, next) => {
    // The page itself always goes through the completion below, never raw.
    if (request.path === '/index.html') next();
    else assets(request, response, next);
  });
  router.get(/.*/, async (request, response, next) => {
    if (serverPaths.test(request.path)) {
      next();
      return;
    }
    let html: string;
    try {
      html = await readFile(index, 'utf8');
    } catch {
      response
        .status(503)
        .type('text/plain')
        .send('The dashboard is not built yet: run `npm run build`.\n');
      return;
    }
    const socketPath = options.socketPath?.() ?? `${request.baseUrl}/socket.io`;
    response
      .set('Cache-Control', 'no-cache')
      .type('html')
      .send(servedIndex(html, request.baseUrl, socketPath));
  });
  return router;
}

/** The page's name for where it is mounted, read by the dashboard (`web/src/api/mount-path.ts`). */
export const mountPathMeta = 'queuewatch-mount-path';

/** The page's name for the socket's path. */
export const socketPathMeta = 'queuewatch-socket-path';

/**
 * `index.html` as served under `mountPath` (`''` at the root): relative `src`/`href` URLs made
 * absolute under the mount (so a deep link two levels down still finds the assets), and the mount
 * and socket paths as `<meta>` tags at the top of `<head>` (after its charset).
 */
export function servedIndex(html: string, mountPath: string, socketPath: string): string {
  const tags =
    `<meta name="${mountPathMeta}" content="${attribute(mountPath)}">` +
    `<meta name="${socketPathMeta}" content="${attribute(socketPath)}">`;
  const absolute = html.replace(
    /(\s(?:src|href)=)(["'])\.\//g,
    (_match, name: string, quote: string) => `${name}${quote}${attribute(mountPath)}/`,
  );
  // Right after the charset (which must come early), else at the top of <head>; in a page
  // without one, after <html> or the doctype.
  const opening = [
    /<meta\s+charset=[^>]*>/i,
    /<head(\s[^>]*)?>/i,
    /<html(\s[^>]*)?>/i,
    /<!doctype[^>]*>/i,
  ]
    .map((tag) => tag.exec(absolute))
    .find((match) => match !== null);
  const at = opening ? opening.index + opening[0].length : 0;
  return absolute.slice(0, at) + tags + absolute.slice(at);
}

function attribute(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${String(char.charCodeAt(0))};`);
}
