import { Router } from 'express';
import type { OpenApiDocument } from '../openapi/build-openapi-document.js';

/** `GET /api/v1/openapi.json`: the OpenAPI document, built once at start (docs/openapi.md). */
export function openApiRoutes(document: OpenApiDocument): Router {
  const router = Router();
  router.get('/api/v1/openapi.json', (_request, response) => {
    response.set('Cache-Control', 'no-store').json(document);
  });
  return router;
}
