import { expect } from 'chai';
import fc from 'fast-check';
import {
  maxFieldLength,
  parseJobRequest,
  parseQueueRequest,
  type Parsed,
} from '../../../src/adapters/socketio/socket-payloads.js';
import {
  hostileKeys,
  hostileNesting,
  hostileScalars,
  hostileStrings,
  objectOf,
} from '../support/hostile-values.js';

/** What a field may be given: mostly text (valid or nearly), sometimes another type entirely. */
const fieldValues: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.string({ minLength: 1, maxLength: 24 }), weight: 6 },
  { arbitrary: hostileStrings, weight: 3 },
  { arbitrary: hostileScalars, weight: 2 },
  { arbitrary: hostileNesting, weight: 1 },
);

const extraEntries = fc.array(
  fc.tuple(fc.oneof(hostileKeys, fc.string({ maxLength: 12 })), fieldValues),
  { maxLength: 3 },
);

/** A payload built around the given fields: each one present or not, plus now and then others. */
function payloadsWith(fields: readonly string[]): fc.Arbitrary<unknown> {
  const entries = fc
    .tuple(
      fc.array(
        fc
          .constantFrom(...fields)
          .chain((field) => fieldValues.map((value): readonly [string, unknown] => [field, value])),
        { maxLength: fields.length },
      ),
      fc.oneof({ arbitrary: fc.constant([]), weight: 4 }, { arbitrary: extraEntries, weight: 1 }),
    )
    .map(([own, extra]) => objectOf([...own, ...extra]));
  return fc.oneof(
    { arbitrary: entries, weight: 12 },
    { arbitrary: hostileScalars, weight: 1 },
    { arbitrary: hostileStrings, weight: 1 },
    { arbitrary: hostileNesting, weight: 1 },
    {
      arbitrary: fc.anything({
        key: fc.oneof(fc.constantFrom(...fields), hostileKeys, fc.string()),
        withBoxedValues: true,
        withMap: true,
        withSet: true,
        withNullPrototype: true,
        withObjectString: true,
        withBigInt: true,
        withDate: true,
        withTypedArray: true,
        withSparseArray: true,
      }),
      weight: 2,
    },
  );
}

/** Characters are code points: a surrogate pair (an emoji, say) counts once. */
const characters = (value: string) => value.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, '_').length;

const isText = (value: unknown): value is string =>
  typeof value === 'string' && characters(value) >= 1 && characters(value) <= maxFieldLength;
const isQueueName = (value: unknown): value is string => isText(value) && !value.includes(':');

/** Every key the payload shows, inherited enumerable ones too (a Buffer's methods, say). */
function keysOf(payload: object): string[] {
  const keys: string[] = [];
  for (const key in payload) keys.push(key);
  return keys;
}

const isObject = (payload: unknown): payload is Record<string, unknown> =>
  typeof payload === 'object' && payload !== null && !Array.isArray(payload);

/** The documented rule (docs/gateway.md): `{ jobId, queueName? }`, non-empty strings of ≤ 256, no colon in a queue name. */
function isJobRequest(payload: unknown): boolean {
  if (!isObject(payload)) return false;
  if (keysOf(payload).some((key) => key !== 'jobId' && key !== 'queueName')) return false;
  return (
    isText(payload.jobId) && (payload.queueName === undefined || isQueueName(payload.queueName))
  );
}

/** `{ queueName }`, a queue name or `*`. */
function isQueueRequest(payload: unknown): boolean {
  if (!isObject(payload)) return false;
  if (keysOf(payload).some((key) => key !== 'queueName')) return false;
  return isQueueName(payload.queueName);
}

/**
 * Each sentence a refusal may hold, with when it is true of the payload: a message that says
 * something false about the payload (or something vague) fails the property.
 */
function claimsAbout(
  payload: unknown,
  fields: readonly string[],
): [RegExp, (match: RegExpExecArray) => boolean][] {
  const field = (name: string | undefined) =>
    isObject(payload) && name ? payload[name] : undefined;
  const known = (name: string | undefined) => name !== undefined && fields.includes(name);
  return [
    [/^payload must be an object like \{ [a-zA-Z, ?]+ \}$/, () => !isObject(payload)],
    [/^(\w+) must be a string$/, (match) => known(match[1]) && typeof field(match[1]) !== 'string'],
    [/^(\w+) must not be empty$/, (match) => known(match[1]) && field(match[1]) === ''],
    [
      /^(\w+) must be at most 256 characters$/,
      (match) => known(match[1]) && characters(String(field(match[1]))) > maxFieldLength,
    ],
    [/^queueName must not contain a colon$/, () => String(field('queueName')).includes(':')],
    [
      /^unknown fields?: (.+)$/,
      () => isObject(payload) && keysOf(payload).some((key) => !fields.includes(key)),
    ],
  ];
}

/** Check one outcome against the rule; a refusal's message is one short line of true sentences. */
function checkOutcome<T>(
  payload: unknown,
  outcome: Parsed<T>,
  fields: readonly string[],
  accepts: (payload: unknown) => boolean,
): void {
  expect(outcome.ok, 'accepted').to.equal(accepts(payload));
  if (outcome.ok) {
    const value = outcome.value as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).to.equal(Object.prototype);
    for (const key of Object.keys(value)) {
      expect(fields).to.include(key);
      expect(value[key]).to.equal((payload as Record<string, unknown>)[key]);
    }
    return;
  }
  const { message } = outcome;
  expect(message).to.be.a('string').with.length.within(1, 300);
  expect(message).to.not.match(/[\p{Cc}\u2028\u2029]/u);
  // Sentences are joined with "; " and each must hold. A listed unknown field may itself hold
  // "; ", so the list is the message's last part.
  const list = message.search(/unknown fields?: /);
  const sentences = [
    ...(list === -1 ? message : message.slice(0, list)).split('; ').filter((part) => part !== ''),
    ...(list === -1 ? [] : [message.slice(list)]),
  ];
  for (const sentence of sentences) {
    const claim = claimsAbout(payload, fields)
      .map(([pattern, holds]) => [pattern.exec(sentence), holds] as const)
      .find(([match]) => match !== null);
    expect(claim, `"${sentence}" is not a documented sentence`).to.not.equal(undefined);
    expect(claim![1](claim![0]!), `"${sentence}" is not true of the payload`).to.equal(true);
  }
}

describe('socket payloads', () => {
  const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
  afterEach(() => {
    // No payload, however hostile, may add anything to every object's prototype.
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).to.deep.equal(prototypeKeys);
  });

  describe('parseJobRequest', () => {
    describe('having any payload: valid, nearly valid, or hostile', () => {
      it('should never throw, accept exactly { jobId, queueName? } and refuse in true words', () => {
        fc.assert(
          fc.property(payloadsWith(['jobId', 'queueName']), (payload) => {
            checkOutcome(payload, parseJobRequest(payload), ['jobId', 'queueName'], isJobRequest);
          }),
          { numRuns: 3_000 },
        );
      });
    });
  });

  describe('parseQueueRequest', () => {
    describe('having any payload: valid, nearly valid, or hostile', () => {
      it('should never throw, accept exactly { queueName } and refuse in true words', () => {
        fc.assert(
          fc.property(payloadsWith(['queueName']), (payload) => {
            checkOutcome(payload, parseQueueRequest(payload), ['queueName'], isQueueRequest);
          }),
          { numRuns: 3_000 },
        );
      });
    });
  });
});
