import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { OpenAPIV3_1 } from 'openapi-types';

// ajv-formats is CommonJS: its function is the default export's `default`.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/** An operation as `METHOD /path/{param}`, the path as the document writes it. */
export type OperationKey = `${'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'} /${string}`;

/** A response as a test got it. */
export interface ReceivedAnswer {
  readonly status: number;
  /** A header's value, any case of its name; `null` when absent. */
  header(name: string): string | null;
  readonly text: string;
}

/** Where the document is added to ajv, so `$ref`s into its components resolve. */
const documentId = 'https://queuewatch.invalid/openapi.json';

const methods = ['get', 'put', 'post', 'delete', 'patch'] as const;

/**
 * Checks real answers against an OpenAPI 3.1 document: the status is one the operation lists,
 * the content type one it lists for that status, the body valid against its schema, and every
 * required header present and valid. Objects are closed for the check (`additionalProperties:
 * false` wherever the document leaves them open), so a field the server sends but the document
 * does not name fails too; the document itself stays open, as clients should ignore new fields.
 */
export class OpenApiConformance {
  private readonly ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(readonly document: OpenAPIV3_1.Document) {
    addFormats(this.ajv);
    // The document's own fields, beside the schemas ajv reads through its `$ref`s.
    this.ajv.addVocabulary([
      'openapi',
      'info',
      'servers',
      'paths',
      'components',
      'webhooks',
      'tags',
    ]);
    this.ajv.addSchema(closeObjects(structuredClone(document)) as object, documentId);
  }

  /** Every operation of the document. */
  operations(): OperationKey[] {
    return Object.entries(this.document.paths ?? {}).flatMap(([path, item]) =>
      methods
        .filter((method) => item?.[method] !== undefined)
        .map((method) => `${method.toUpperCase()} ${path}` as OperationKey),
    );
  }

  /** The statuses an operation lists, `default` aside. */
  statuses(key: OperationKey): string[] {
    return Object.keys(this.operation(key).responses ?? {}).filter((name) => name !== 'default');
  }

  /**
   * Check an answer against the response the operation lists for its status (or `default`, for
   * an answer only it covers); throws saying what does not conform.
   */
  check(key: OperationKey, answer: ReceivedAnswer, options: { viaDefault?: boolean } = {}): void {
    const status = String(answer.status);
    const where = `${key} → ${status}`;
    const responses = this.operation(key).responses ?? {};
    const name = options.viaDefault ? 'default' : status;
    const response = responses[name] as OpenAPIV3_1.ResponseObject | undefined;
    if (!response) {
      throw new Error(
        `${where}: the document lists no ${name} answer (it lists ${Object.keys(responses).join(', ')}): ${answer.text.slice(0, 300)}`,
      );
    }
    if (options.viaDefault && status in responses) {
      throw new Error(`${where}: listed on its own, so not an answer for \`default\``);
    }
    const mediaType = (answer.header('content-type') ?? '').split(';', 1)[0]?.trim() ?? '';
    const content = response.content ?? {};
    if (!(mediaType in content)) {
      throw new Error(
        `${where}: content type "${mediaType}" is not one the document lists (${Object.keys(content).join(', ')})`,
      );
    }
    const body: unknown = mediaType === 'application/json' ? JSON.parse(answer.text) : answer.text;
    this.validate(where, [key, name, 'content', mediaType, 'schema'], body, 'body');
    for (const [header, definition] of Object.entries(response.headers ?? {})) {
      const { required } = definition as OpenAPIV3_1.HeaderObject;
      const value = answer.header(header);
      if (value === null) {
        if (required) throw new Error(`${where}: the required header ${header} is missing`);
        continue;
      }
      this.validate(where, [key, name, 'headers', header, 'schema'], value, `header ${header}`);
    }
  }

  private operation(key: OperationKey): OpenAPIV3_1.OperationObject {
    const [method, path] = splitKey(key);
    const operation = this.document.paths?.[path]?.[method];
    if (!operation) throw new Error(`the document has no operation ${key}`);
    return operation;
  }

  private validate(
    where: string,
    [key, response, ...rest]: [OperationKey, string, ...string[]],
    value: unknown,
    what: string,
  ): void {
    const [method, path] = splitKey(key);
    const pointer = ['paths', path, method, 'responses', response, ...rest]
      .map((part) => part.replaceAll('~', '~0').replaceAll('/', '~1'))
      .join('/');
    let validate = this.validators.get(pointer);
    if (!validate) {
      validate = this.ajv.getSchema(`${documentId}#/${pointer}`);
      if (!validate) throw new Error(`${where}: no schema at #/${pointer}`);
      this.validators.set(pointer, validate);
    }
    if (!validate(value)) {
      throw new Error(
        `${where}: the ${what} does not match the document: ${this.ajv.errorsText(validate.errors)}\n` +
          JSON.stringify(value).slice(0, 2_000),
      );
    }
  }
}

function splitKey(key: OperationKey): [(typeof methods)[number], string] {
  const [method = '', path = ''] = key.split(' ');
  return [method.toLowerCase() as (typeof methods)[number], path];
}

/** Every schema object with `properties` and no word on others gets `additionalProperties: false`. */
function closeObjects(node: unknown): unknown {
  if (Array.isArray(node)) {
    for (const item of node) closeObjects(item);
  } else if (typeof node === 'object' && node !== null) {
    const record = node as Record<string, unknown>;
    for (const value of Object.values(record)) closeObjects(value);
    const { properties } = record;
    if (
      typeof properties === 'object' &&
      properties !== null &&
      !Array.isArray(properties) &&
      !('additionalProperties' in record)
    ) {
      record.additionalProperties = false;
    }
  }
  return node;
}
