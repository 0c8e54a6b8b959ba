import fc from 'fast-check';

/** Keys that have broken parsers before: prototype pollution, shadowed methods, odd text. */
export const hostileKeys = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '',
  ' ',
  'a\nb',
  '\u2028',
  '\u0000',
  '💥',
  'jobId ',
  'JOBID',
  'x'.repeat(300),
);

/** Strings valid and invalid: empty, at and past a 256 limit, unicode, control characters, huge. */
export const hostileStrings: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    ':',
    '*',
    'a:b',
    '__proto__',
    'constructor',
    '\n',
    '\r\n',
    '\u0000',
    '\u2028',
    '\ud800',
    '💥'.repeat(128),
    '💥'.repeat(129),
    '${HOME}',
    '%00',
    '<script>alert(1)</script>',
    "'; DROP TABLE jobs; --",
  ),
  fc.integer({ min: 250, max: 260 }).map((length) => 'a'.repeat(length)),
  fc.constantFrom(1_000, 100_000).map((length) => 'x'.repeat(length)),
);

/** Values that are not what a field wants: other types, NaN and infinities, boxes, binary. */
export const hostileScalars: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    undefined,
    true,
    false,
    0,
    -0,
    1,
    -1,
    1.5,
    Number.NaN,
    Infinity,
    -Infinity,
    Number.MAX_SAFE_INTEGER + 2,
    10n,
  ),
  fc.double(),
  fc.integer(),
  fc.date(),
  fc.constant(Buffer.from('{"jobId":"1"}')),
  fc.constant(new Uint8Array([1, 2, 3])),
  fc.constant(new Map([['jobId', '1']])),
  fc.constant(new Set(['jobId'])),
);

/** Arrays, or objects and arrays nested deeper than any parser should walk by recursion. */
export const hostileNesting: fc.Arbitrary<unknown> = fc.oneof(
  fc.array(fc.string(), { maxLength: 3 }),
  fc
    .tuple(fc.integer({ min: 2, max: 12_000 }), fc.boolean())
    .map(([depth, arrays]) => nested(depth, arrays)),
);

/** `depth` levels of `{ "a": … }` (or `[…]`) around a 1. */
export function nested(depth: number, arrays: boolean): unknown {
  let value: unknown = 1;
  for (let level = 0; level < depth; level += 1) value = arrays ? [value] : { a: value };
  return value;
}

/**
 * An object with exactly these own entries, `__proto__` included as an own key (as JSON.parse
 * makes it), so a parser that copies keys by assignment would change a prototype.
 */
export function objectOf(
  entries: readonly (readonly [string, unknown])[],
): Record<string, unknown> {
  return Object.fromEntries(entries);
}
