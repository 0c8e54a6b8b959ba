import fc from 'fast-check';
import { hostileKeys, hostileStrings } from './hostile-values.js';

/** A JSON object as written: its entries in order, duplicates and `__proto__` included. */
export class JsonObject {
  constructor(readonly entries: readonly (readonly [string, JsonNode])[]) {}
}

/** JSON text written as is: numbers JSON.stringify cannot write, or nesting built as text. */
export class RawJson {
  constructor(readonly text: string) {}
}

/** A config file as the property writes it. */
export type JsonNode =
  null | boolean | number | string | readonly JsonNode[] | JsonObject | RawJson;

/** The file's text. */
export function toText(node: JsonNode): string {
  if (node instanceof RawJson) return node.text;
  if (node instanceof JsonObject) {
    return `{${node.entries.map(([key, value]) => `${JSON.stringify(key)}:${toText(value)}`).join(',')}}`;
  }
  if (Array.isArray(node)) return `[${node.map((item: JsonNode) => toText(item)).join(',')}]`;
  return JSON.stringify(node);
}

/** Names a file may refer to as `${NAME}`: set, unset, and names every object inherits. */
export const referenceNames = [
  'HOOK',
  'SECRET',
  'QNAME',
  'MISSING',
  'constructor',
  'toString',
  '__proto__',
];

/** Values for the referenced variables: what would break a naive text substitution. */
export const injectedValues = fc.oneof(
  fc.constantFrom(
    '',
    'https://hooks.example.com/T000/B000/XXXX',
    '", "type": "evil", "x": "',
    '"}]}, "queues": [{"name": "evil"}], "a": {"b": "',
    '${SECRET}',
    '$&',
    "$'",
    '$1',
    '\\',
    '\n',
    '}',
    'a:b',
    'payments',
  ),
  hostileStrings,
);

/** A string that may hold references to variables among other text. */
const textWithReferences: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      // Mostly names the property sets; now and then one it leaves unset or every object has.
      {
        arbitrary: fc
          .oneof(
            { arbitrary: fc.constantFrom('HOOK', 'SECRET', 'QNAME'), weight: 30 },
            { arbitrary: fc.constantFrom(...referenceNames), weight: 1 },
          )
          .map((name) => `\${${name}}`),
        weight: 2,
      },
      {
        arbitrary: fc.constantFrom('${', '}', '$', '${A B}', '${1X}', '$${HOOK}', '${HOOK'),
        weight: 1,
      },
      { arbitrary: fc.string({ maxLength: 6 }), weight: 2 },
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((parts) => parts.join(''));

const wrongTypes: fc.Arbitrary<JsonNode> = fc.oneof(
  fc.constantFrom<JsonNode>(null, true, false, 0, -1, 1.5, '', 'x', [], [1], new JsonObject([])),
  fc.constantFrom(new RawJson('1e400'), new RawJson('-1e400'), new RawJson('-0')),
);

/** Mostly `valid`, sometimes a value of a wrong kind. */
const mostly = (valid: fc.Arbitrary<JsonNode>, wrong: fc.Arbitrary<JsonNode> = wrongTypes) =>
  fc.oneof({ arbitrary: valid, weight: 60 }, { arbitrary: wrong, weight: 1 });

const extraEntries = fc.array(
  fc.tuple(fc.oneof(hostileKeys, fc.constantFrom('extra', 'Name', 'queue')), wrongTypes),
  { maxLength: 2 },
);

/** An object with some of these keys (the required ones always), in order; now and then others. */
function object(
  shape: Record<string, fc.Arbitrary<JsonNode>>,
  required: string[] = [],
): fc.Arbitrary<JsonNode> {
  const keys = Object.keys(shape);
  return mostly(
    fc
      .tuple(
        fc.record(shape, { requiredKeys: required }),
        fc.oneof(
          { arbitrary: fc.constant([]), weight: 40 },
          { arbitrary: extraEntries, weight: 1 },
        ),
      )
      .map(
        ([own, extra]) =>
          new JsonObject([
            ...keys.flatMap((key): [string, JsonNode][] =>
              key in own ? [[key, (own as Record<string, JsonNode>)[key]!]] : [],
            ),
            ...extra,
          ]),
      ),
  );
}

const list = (item: fc.Arbitrary<JsonNode>, minLength = 0): fc.Arbitrary<JsonNode> =>
  mostly(fc.array(item, { minLength, maxLength: 3 }));

const milliseconds = mostly(
  fc.oneof(fc.integer({ min: 1, max: 10_000_000 }), fc.constant(Number.MAX_SAFE_INTEGER)),
  fc.constantFrom<JsonNode>(0, -5, 1.5, 1e20, '1000', null, new RawJson('1e400')),
);
const wholeNumber = (min: number, max: number) =>
  mostly(fc.integer({ min, max }), fc.constantFrom<JsonNode>(min - 1, max + 1, 2.5, '3'));
/** A level from `min` to `max`; out of range, or not a number, now and then. */
const level = (min: number, max: number) =>
  mostly(
    fc.oneof(
      fc.integer({ min: Math.ceil(min), max: Math.max(Math.ceil(min), Math.floor(max)) }),
      fc.double({ min, max, noNaN: true }),
    ),
    fc.constantFrom<JsonNode>(-1, max + 1, '1', null),
  );
/** Degraded in the lower half, unhealthy in the upper: in order, but against the defaults? */
const levels = (max = 1_000) =>
  object({ degraded: level(0, max / 2), unhealthy: level(max / 2, max) });

const queueNames: fc.Arbitrary<JsonNode> = fc.oneof(
  { arbitrary: fc.constantFrom('payments', 'emails', 'reports', 'payments'), weight: 16 },
  { arbitrary: fc.constantFrom('a:b', 'with space', '', '${QNAME}', 'x'.repeat(257)), weight: 1 },
  { arbitrary: hostileStrings, weight: 1 },
);
const severities = mostly(
  fc.constantFrom('critical', 'high', 'medium', 'low'),
  fc.constantFrom('urgent', 'LOW', 5),
);

const queueThresholds = object({
  staleJobAfterMs: milliseconds,
  staleJobs: levels(),
  waitingJobs: levels(),
  errorRate: levels(1),
  errorRateWindowMs: milliseconds,
  errorRateMinJobs: wholeNumber(0, 100),
});

const failureThreshold = object({
  count: wholeNumber(1, 30),
  windowMs: milliseconds,
  clearCount: wholeNumber(0, 30),
  rate: mostly(
    fc.double({ min: 0.01, max: 1, noNaN: true }),
    fc.constantFrom<JsonNode>(0, 1.5, -0.5),
  ),
  minVolume: wholeNumber(1, 50),
});

/** A destination's own options: the strings that `${…}` references land in, nested or not. */
const options: fc.Arbitrary<readonly (readonly [string, JsonNode])[]> = fc.array(
  fc.tuple(
    fc.constantFrom('url', 'secret', 'channel', 'headers', 'timeoutMs', 'a.b', 'a\nb', ''),
    fc.oneof(
      textWithReferences,
      fc.integer(),
      fc.array(textWithReferences, { maxLength: 2 }),
      textWithReferences.map((text) => new JsonObject([['X-Token', text]])),
    ),
  ),
  { maxLength: 3 },
);

const destination: fc.Arbitrary<JsonNode> = mostly(
  fc
    .tuple(
      fc.record(
        {
          name: mostly(
            fc.oneof(
              { arbitrary: fc.constantFrom('ops', 'team-a', 'log'), weight: 8 },
              { arbitrary: fc.constantFrom('bad name', '${SECRET}'), weight: 1 },
            ),
          ),
          type: mostly(
            fc.oneof(
              { arbitrary: fc.constantFrom('log', 'slack', 'webhook'), weight: 8 },
              { arbitrary: fc.constantFrom('${HOOK}', ''), weight: 1 },
            ),
          ),
          minSeverity: severities,
          queues: list(queueNames, 1),
        },
        { requiredKeys: ['type'] },
      ),
      options,
    )
    .map(([known, own]) => new JsonObject([...Object.entries(known), ...own])),
);

const alerts = object({
  failureThreshold,
  repeatIntervalMs: milliseconds,
  evaluateIntervalMs: milliseconds,
  deadLetter: object({
    queue: queueNames,
    maxAgeMs: milliseconds,
    maxCount: wholeNumber(1, 100_000),
    pruneIntervalMs: milliseconds,
  }),
  delivery: object({
    attempts: wholeNumber(1, 50),
    baseDelayMs: milliseconds,
    maxDelayMs: milliseconds,
  }),
  destinations: list(destination),
});

/** A whole config file: mostly the documented shape with valid and nearly valid values. */
export const configDocuments: fc.Arbitrary<JsonNode> = fc.oneof(
  {
    arbitrary: object({
      $schema: mostly(fc.constantFrom('./queuewatch.schema.json', '${HOOK}')),
      queues: list(
        object(
          {
            name: queueNames,
            priority: severities,
            thresholds: queueThresholds,
            failureThreshold,
          },
          ['name'],
        ),
      ),
      health: object({
        queue: queueThresholds,
        redis: object({ latencyMs: levels(), memoryRatio: levels(1) }),
      }),
      alerts,
    }),
    weight: 20,
  },
  // Files that are not the shape at all, or not JSON.
  {
    arbitrary: fc.constantFrom(
      new RawJson(''),
      new RawJson('{'),
      new RawJson('{"queues": [}'),
      new RawJson('{\n  "queues": [\n    { "name": x }\n  ]\n}'),
      new RawJson('\uFEFF{}'),
      new RawJson('{}{}'),
      new RawJson('null'),
      new RawJson('[]'),
      new RawJson('"queues"'),
      new RawJson('{"__proto__": {"queues": [{"name": "polluted"}]}}'),
      new RawJson('{"constructor": {"prototype": {"polluted": true}}}'),
    ),
    weight: 1,
  },
  // Nested deeper than anything should walk by recursion, where unknown keys are let through.
  {
    arbitrary: fc
      .tuple(fc.integer({ min: 50, max: 20_000 }), fc.boolean())
      .map(
        ([depth, arrays]) =>
          new RawJson(
            `{"alerts":{"destinations":[{"type":"log","options":${(arrays ? '[' : '{"a":').repeat(depth)}"\${HOOK}"${(arrays ? ']' : '}').repeat(depth)}}]}}`,
          ),
      ),
    weight: 1,
  },
);
