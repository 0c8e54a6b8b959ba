import { Router } from 'express';
import type { OpenApiDocument } from '../openapi/build-openapi-document.js';

/**
 * `GET /api/v1/openapi.json`: the OpenAPI document (docs/openapi.md), loaded and built once, when
 * first asked for (a tenth of a second or more that start-up need not wait for). Its paths
 * are those of the app; `servers` says where the app is mounted (`/` standalone, the mount path
 * when embedded), so a client resolves them right either way.
 */
export function openApiRoutes(build: () => Promise<OpenApiDocument>): Router {
  const router = Router();
  let document: Promise<OpenApiDocument> | undefined;
  const byMount = new Map<string, OpenApiDocument>();
  router.get('/api/v1/openapi.json', async (request, response) => {
    const mount = request.baseUrl === '' ? '/' : request.baseUrl;
    let served = byMount.get(mount);
    if (!served) {
      document ??= build();
      served = { ...(await document), servers: [{ url: mount }] };
      byMount.set(mount, served);
    }
    response.set('Cache-Control', 'no-store').json(served);
  });
  return router;
}
