import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { jsonResponse } from '../responses.js';

const openApiDocument = z
  .looseObject({
    openapi: z.string().regex(/^3\.1\.\d+$/),
    info: z.looseObject({ title: z.string(), version: z.string() }),
    paths: z.record(z.string(), z.unknown()),
  })
  .meta({
    id: 'OpenApiDocument',
    description: 'An OpenAPI 3.1 document: https://spec.openapis.org/oas/v3.1.0',
  });

/** `openapi-routes.ts`: this document. */
export const openApiOperations: readonly RouteConfig[] = [
  {
    method: 'get',
    path: '/api/v1/openapi.json',
    operationId: 'getOpenApiDocument',
    tags: ['meta'],
    summary: 'This document',
    responses: { 200: jsonResponse('The OpenAPI document of this API.', openApiDocument) },
  },
];
