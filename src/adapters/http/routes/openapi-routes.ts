import { Router } from 'express';
import type { OpenApiDocument } from '../openapi/build-openapi-document.js';

/**
 * `GET /api/v1/openapi.json`: the OpenAPI document, built once at start (docs/openapi.md). Its
 * paths are those of the app; `servers` says where the app is mounted (`/` standalone, the mount
 * path when embedded), so a client resolves them right either way.
 */
export function openApiRoutes(document: OpenApiDocument): Router {
  const router = Router();
  const byMount = new Map<string, OpenApiDocument>();
  router.get('/api/v1/openapi.json', (request, response) => {
    const mount = request.baseUrl === '' ? '/' : request.baseUrl;
    let served = byMount.get(mount);
    if (!served) {
      served = { ...document, servers: [{ url: mount }] };
      byMount.set(mount, served);
    }
    response.set('Cache-Control', 'no-store').json(served);
  });
  return router;
}
