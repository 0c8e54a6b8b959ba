import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { bearerScheme, withGuards, type GuardOptions } from './guard-responses.js';
import { accessOperations } from './operations/access-operations.js';
import { alertOperations } from './operations/alert-operations.js';
import { consoleReadOperations } from './operations/console-read-operations.js';
import { bulkOperations } from './operations/bulk-operations.js';
import { failedJobOperations } from './operations/failed-job-operations.js';
import { healthOperations } from './operations/health-operations.js';
import { jobActionOperations } from './operations/job-action-operations.js';
import { jobOperations } from './operations/job-operations.js';
import { metricsOperations } from './operations/metrics-operations.js';
import { openApiOperations } from './operations/openapi-operations.js';
import { queueOperations } from './operations/queue-operations.js';
import { submitOperations } from './operations/submit-operations.js';

/** The OpenAPI document, as JSON. */
export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

/** Every HTTP operation, one table per route file. */
const operations = [
  ...accessOperations,
  ...healthOperations,
  ...queueOperations,
  ...jobOperations,
  ...consoleReadOperations,
  ...jobActionOperations,
  ...bulkOperations,
  ...submitOperations,
  ...failedJobOperations,
  ...alertOperations,
  ...metricsOperations,
  ...openApiOperations,
];

const description = `Queuewatch watches BullMQ queues: health, failed jobs, alerts and job progress.

Every error is \`{ "error": { "code", "message" } }\`; the codes are listed in docs/errors.md.
Unknown query parameters are ignored.

Live progress is not HTTP: it is the Socket.IO namespace \`/job-progress\` on the same port,
described in README.md ("Live progress: the /job-progress gateway") and typed in
src/application/contract/socket-events.ts.`;

/**
 * The OpenAPI 3.1 document of every HTTP operation, generated from the zod schemas that
 * validate the requests and describe the bodies (src/adapters/http/schemas). Built once at start.
 */
export function buildOpenApiDocument(options: GuardOptions): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  if (options.bearerAuth) {
    registry.registerComponent('securitySchemes', bearerScheme, {
      type: 'http',
      scheme: 'bearer',
      description: 'The value of `QUEUEWATCH_API_TOKEN`, or of a token of `auth.tokens`.',
    });
  }
  for (const operation of operations) registry.registerPath(withGuards(operation, options));
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    // The version of the `/api/v1` paths, not of the package.
    info: { title: 'Queuewatch', version: '1', description },
  });
}
