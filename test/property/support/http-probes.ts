import fc from 'fast-check';
import { watchedQueue } from './every-route-app.js';
import { hostileKeys, hostileStrings } from './hostile-values.js';

/** A request as the property sends it, and what the rule says of it (`null`: only the envelope). */
export interface Probe {
  readonly method: 'GET' | 'POST';
  /** Path and query, exactly as sent (already encoded). */
  readonly target: string;
  readonly expected: Expected | null;
}

/** What the documented rules say of an answer, beyond the envelope every answer has. */
export type Expected =
  /** This status and nothing more. */
  | { readonly kind: 'status'; readonly status: 200 | 400 | 404 }
  /** 200, and the service was asked for this many. */
  | { readonly kind: 'limit'; readonly of: 'failed' | 'alerts'; readonly limit: number }
  /** The job route answered for this queue (and id), or the submit route took a job for it. */
  | { readonly kind: 'job'; readonly queue: string; readonly id: string | null }
  /** 200 in Prometheus's text format. */
  | { readonly kind: 'text' };

/** Characters are code points: a surrogate pair (an emoji, say) counts once. */
const characters = (value: string) => value.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, '_').length;

/** Text that can be sent encoded: well formed (no lone surrogate), short enough for a URL. */
const sendable = (value: string) =>
  // With the u flag, a surrogate matches only when it is not half of a pair.
  !/[\uD800-\uDFFF]/u.test(value) && encodeURIComponent(value).length <= 4_000;

const paramValues = fc.oneof(
  { arbitrary: fc.constantFrom(watchedQueue, 'other', '1', 'repeat:x:1', '*'), weight: 3 },
  { arbitrary: hostileStrings.filter(sendable), weight: 4 },
  {
    arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 300 }).filter(sendable),
    weight: 1,
  },
);

/** Values for `limit`: whole numbers in and out of range, and what Number() reads oddly. */
const limitValues = fc.oneof(
  fc.integer({ min: -5, max: 1_100 }).map(String),
  fc.constantFrom(
    '0',
    '1',
    '20',
    '50',
    '500',
    '501',
    '1000',
    '1001',
    '',
    ' ',
    ' 7 ',
    '1.5',
    '7.0',
    '1e2',
    '1e3',
    '0x10',
    '0b11',
    '-0',
    '+5',
    'NaN',
    'Infinity',
    '9'.repeat(400),
    '١٢',
    '5abc',
    'null',
    '[]',
  ),
  hostileStrings.filter(sendable),
);

const queryPairs = fc.array(
  fc.tuple(
    fc.oneof(
      { arbitrary: fc.constant('limit'), weight: 6 },
      { arbitrary: fc.constantFrom('LIMIT', 'limit[]', 'limit ', 'offset', 'verbose'), weight: 1 },
      { arbitrary: hostileKeys.filter(sendable), weight: 1 },
    ),
    limitValues,
  ),
  { maxLength: 3 },
);

const encodeQuery = (pairs: readonly (readonly [string, string])[]) =>
  pairs.length === 0
    ? ''
    : `?${pairs.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&')}`;

/** The documented rule for `?limit`: absent, or one whole number from 1 to `max`. */
function limitRule(
  pairs: readonly (readonly [string, string])[],
  max: number,
  fallback: number,
): number | null {
  const given = pairs.filter(([key]) => key === 'limit').map(([, value]) => value);
  if (given.length === 0) return fallback;
  if (given.length > 1) return null;
  // "A whole number" as JavaScript reads one from text: white space around it is allowed.
  const limit = Number(given[0]);
  return Number.isInteger(limit) && limit >= 1 && limit <= max ? limit : null;
}

const isQueueName = (value: string) =>
  characters(value) >= 1 && characters(value) <= 256 && !value.includes(':');
const isJobId = (value: string) => characters(value) >= 1 && characters(value) <= 256;
/** A segment the URL parser would drop or merge (dot segments) cannot address a parameter. */
const isSegment = (value: string) => value !== '' && value !== '.' && value !== '..';

export const listProbes: fc.Arbitrary<Probe> = fc
  .tuple(fc.constantFrom('failed' as const, 'alerts' as const), queryPairs)
  .map(([of, pairs]) => {
    const [path, max, fallback] =
      of === 'failed' ? ['/api/v1/jobs/failed/recent', 1_000, 20] : ['/api/v1/alerts', 500, 50];
    const limit = limitRule(pairs, max, fallback);
    return {
      method: 'GET',
      target: `${path}${encodeQuery(pairs)}`,
      expected: limit === null ? { kind: 'status', status: 400 } : { kind: 'limit', of, limit },
    };
  });

export const jobProbes: fc.Arbitrary<Probe> = fc
  .tuple(paramValues, paramValues, queryPairs, fc.boolean())
  .map(([queue, id, pairs, post]) => {
    const target = post
      ? `/api/v1/queues/${encodeURIComponent(queue)}/jobs${encodeQuery(pairs)}`
      : `/api/v1/queues/${encodeURIComponent(queue)}/jobs/${encodeURIComponent(id)}${encodeQuery(pairs)}`;
    let expected: Expected | null;
    if (!isSegment(queue) || (!post && !isSegment(id))) expected = null;
    else if (!isQueueName(queue) || (!post && !isJobId(id)))
      expected = { kind: 'status', status: 400 };
    else if (queue !== watchedQueue) expected = { kind: 'status', status: 404 };
    else expected = { kind: 'job', queue, id: post ? null : id };
    return { method: post ? 'POST' : 'GET', target, expected };
  });

const consoleKeys = fc.constantFrom(
  'state',
  'limit',
  'order',
  'cursor',
  'page',
  'name',
  'data',
  'path',
  'value',
  'scanLimit',
  'offset',
  'id',
);
const consoleValues = fc.oneof(
  fc.constantFrom('failed', 'waiting', 'paused', 'newest', 'oldest', 'customer.id', '*', '%s'),
  limitValues,
  // Cursors: made up, of the right alphabet, and of the right JSON with odd values.
  fc.base64String({ maxLength: 200 }).map((text) => text.replace(/\+/g, '-').replace(/\//g, '_')),
  fc
    .record({
      v: fc.constantFrom(1, 2, '1'),
      k: fc.constantFrom('list', 'search', 'x'),
      s: fc.constantFrom('failed', 'waiting', 'nope'),
      o: fc.constantFrom('newest', 'oldest'),
      i: fc.oneof(fc.integer(), fc.double(), fc.constant(-1)),
      a: fc.oneof(fc.constant(null), fc.string({ maxLength: 300 })),
      c: fc.oneof(fc.constant(null), fc.string({ maxLength: 50 }), fc.constant('+inf')),
    })
    .map((json) => Buffer.from(JSON.stringify(json)).toString('base64url')),
);

/** The console's reads, with their parameters mixed, valid and not: a JSON answer, never a 5xx. */
export const consoleProbes: fc.Arbitrary<Probe> = fc
  .tuple(
    fc.constantFrom(
      '/api/v1/queues/{q}/jobs',
      '/api/v1/queues/{q}/search',
      '/api/v1/jobs',
      '/api/v1/queues/{q}/jobs/{id}/details',
      '/api/v1/queues/{q}/jobs/{id}/logs',
      '/api/v1/queues/{q}/schedulers',
    ),
    paramValues,
    paramValues,
    fc.array(fc.tuple(consoleKeys, consoleValues.filter(sendable)), { maxLength: 6 }),
  )
  .map(([template, queue, id, pairs]) => ({
    method: 'GET',
    target: `${template
      .replace('{q}', isSegment(queue) ? encodeURIComponent(queue) : watchedQueue)
      .replace('{id}', isSegment(id) ? encodeURIComponent(id) : '1')}${encodeQuery(pairs)}`,
    expected: null,
  }));

/** Routes that take no parameters answer whatever the query says. */
export const fixedProbes: fc.Arbitrary<Probe> = fc
  .tuple(
    fc.constantFrom(
      '/api/v1/health/queues',
      '/api/v1/queues',
      '/api/v1/jobs/failed/stats',
      '/livez',
      '/readyz',
      '/metrics',
      '/api/v1/openapi.json',
    ),
    queryPairs,
  )
  .map(([path, pairs]) => ({
    method: 'GET',
    target: `${path}${encodeQuery(pairs)}`,
    expected: path === '/metrics' ? { kind: 'text' } : { kind: 'status', status: 200 },
  }));

/** Paths no route answers: deeper, shallower or beside the real ones. */
export const unknownProbes: fc.Arbitrary<Probe> = fc
  .tuple(
    fc.constantFrom(
      '/api/v2',
      '/api/v1/nothing',
      '/api/v1/queues/work/jobs/1/more',
      '/nope',
      '/api/v1/jobs/failed',
    ),
    fc.array(paramValues, { maxLength: 2 }),
  )
  .map(([path, segments]) => ({
    method: 'GET',
    target: [path, ...segments.filter(isSegment).map(encodeURIComponent)].join('/'),
    expected: { kind: 'status', status: 404 },
  }));

/** Raw fragments no encoder would produce: bad escapes, brackets, separators, dots. */
const rawFragments = fc.constantFrom(
  '%',
  '%%',
  '%zz',
  '%E0%A4%A',
  '%ED%A0%80',
  '%C0%AF',
  '%00',
  '%0A',
  '%2F',
  '%2e%2e',
  '..',
  '.',
  ';',
  ',',
  '&&',
  '==',
  '=',
  '[',
  ']',
  '[]',
  '[x]',
  '__proto__',
  'constructor',
  'limit',
  'a[b][c]',
  '+',
  '%2B',
  '💥',
  '\u00e9',
  'x'.repeat(500),
);
const rawText = fc
  .array(rawFragments, { minLength: 1, maxLength: 6 })
  .map((parts) => parts.join(''));

export const rawProbes: fc.Arbitrary<Probe> = fc
  .tuple(
    fc.constantFrom(
      '/api/v1/jobs/failed/recent',
      '/api/v1/alerts',
      '/api/v1/queues/{q}/jobs/{id}',
      '/api/v1/queues/{q}/jobs',
      '/api/v1/health/queues',
      '/{q}',
      '/api/{q}',
    ),
    rawText,
    rawText,
    fc.array(fc.tuple(rawText, rawText), { maxLength: 3 }),
    fc.boolean(),
  )
  .map(([template, q, id, pairs, post]) => ({
    method: post && template.endsWith('/jobs') ? 'POST' : 'GET',
    target: `${template.replace('{q}', q).replace('{id}', id)}?${pairs.map(([key, value]) => `${key}=${value}`).join('&')}`,
    expected: null,
  }));
