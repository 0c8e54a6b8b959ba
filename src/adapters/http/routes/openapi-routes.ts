import { Router } from 'express';
import type { OpenApiDocument } from '../openapi/build-openapi-document.js';

/**
 * `GET /api/v1/openapi.json`: the OpenAPI document (docs/openapi.md), built once, when first
 * asked for (building it takes a tenth of a second that start-up need not wait for). Its paths
 * are those of the app; `servers` says where the app is mounted (`/` standalone, the mount path
 * when embedded), so a client resolves them right either way.
 */
export function openApiRoutes(build: () => OpenApiDocument): Router {
  const router = Router();
  let document: OpenApiDocument | undefined;
  const byMount = new Map<string, OpenApiDocument>();
  router.get('/api/v1/openapi.json', (request, response) => {
    const mount = request.baseUrl === '' ? '/' : request.baseUrl;
    let served = byMount.get(mount);
    if (!served) {
      document ??= build();
      served = { ...document, servers: [{ url: mount }] };
      byMount.set(mount, served);
    }
    response.set('Cache-Control', 'no-store').json(served);
  });
  return router;
}
