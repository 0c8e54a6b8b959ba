import SwaggerParser from '@apidevtools/swagger-parser';
import { expect } from 'chai';
import type { OpenAPIV3_1 } from 'openapi-types';
import { statusOf } from '../../../src/adapters/http/api-error.js';
import { buildOpenApiDocument } from '../../../src/adapters/http/openapi/build-openapi-document.js';
import { OpenApiConformance, type OperationKey } from '../../support/openapi-conformance.js';
import { serveEveryRoute } from '../../property/support/every-route-app.js';

type Document = OpenAPIV3_1.Document;

const document = (bearerAuth: boolean): Document =>
  buildOpenApiDocument({ bearerAuth }) as unknown as Document;

/** Every operation with its object. */
function operationsOf(built: Document): [OperationKey, OpenAPIV3_1.OperationObject][] {
  return Object.entries(built.paths ?? {}).flatMap(([path, item]) =>
    (['get', 'post'] as const).flatMap((method): [OperationKey, OpenAPIV3_1.OperationObject][] => {
      const operation = item?.[method];
      return operation ? [[`${method.toUpperCase()} ${path}` as OperationKey, operation]] : [];
    }),
  );
}

/** The error codes a response's schema allows, read through its `$ref`. */
function codesOf(built: Document, response: OpenAPIV3_1.ResponseObject): string[] {
  const schema = response.content?.['application/json']?.schema as { $ref?: string } | undefined;
  const name = schema?.$ref?.replace('#/components/schemas/', '') ?? '';
  const component = built.components?.schemas?.[name] as
    { properties?: { error?: { properties?: { code?: { enum?: string[] } } } } } | undefined;
  return component?.properties?.error?.properties?.code?.enum ?? [];
}

describe('buildOpenApiDocument', () => {
  describe('having no API token', () => {
    it('should be a valid OpenAPI 3.1 document with no security and no 401', async () => {
      const built = document(false);
      await SwaggerParser.validate(structuredClone(built));
      expect(built.components?.securitySchemes ?? {}).to.deep.equal({});
      for (const [key, operation] of operationsOf(built)) {
        expect(operation.security, key).to.equal(undefined);
        expect(operation.responses, key).not.to.have.property('401');
      }
    });
  });

  describe('having an API token', () => {
    it('should ask for the bearer token on /api and /metrics, and nowhere else', async () => {
      const built = document(true);
      await SwaggerParser.validate(structuredClone(built));
      expect(built.components?.securitySchemes).to.deep.equal({
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: 'The value of `QUEUEWATCH_API_TOKEN`, or of a token of `auth.tokens`.',
        },
      });
      const guarded = operationsOf(built).filter(([, operation]) => operation.security);
      const open = operationsOf(built).filter(([, operation]) => !operation.security);
      expect(open.map(([key]) => key)).to.deep.equal(['GET /livez', 'GET /readyz']);
      for (const [key, operation] of guarded) {
        expect(key).to.match(/^(GET|POST) \/(api\/|metrics$)/);
        expect(operation.security, key).to.deep.equal([{ bearerAuth: [] }]);
        expect(
          codesOf(built, operation.responses?.['401'] as OpenAPIV3_1.ResponseObject),
        ).to.deep.equal(['QW_UNAUTHORIZED']);
      }
    });
  });

  it('should answer each error code under its own status somewhere, QW_INTERNAL under default', () => {
    const built = document(true);
    const listed = new Set<string>();
    for (const [key, operation] of operationsOf(built)) {
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        const codes = codesOf(built, response as OpenAPIV3_1.ResponseObject);
        if (status === 'default') {
          expect(codes, `${key} default`).to.have.members(Object.keys(statusOf));
          continue;
        }
        if (Number(status) < 400) continue;
        for (const code of codes) {
          expect(statusOf[code as keyof typeof statusOf], `${key} ${status} ${code}`).to.equal(
            Number(status),
          );
          listed.add(code);
        }
      }
    }
    const ownStatus = Object.keys(statusOf).filter((code) => code !== 'QW_INTERNAL');
    expect([...listed].sort()).to.deep.equal(ownStatus.sort());
  });

  it('should describe an unexpected failure (500) with its default answer', async () => {
    const app = await serveEveryRoute();
    try {
      // The every-route app's test alert fails unexpectedly: a 500 QW_INTERNAL.
      const response = await fetch(`${app.server.url}/api/v1/alerts/test`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
      });
      expect(response.status).to.equal(500);
      const text = await response.text();
      new OpenApiConformance(document(false)).check(
        'POST /api/v1/alerts/test',
        { status: response.status, header: (name) => response.headers.get(name), text },
        { viaDefault: true },
      );
    } finally {
      await app.server.close();
    }
  });
});
