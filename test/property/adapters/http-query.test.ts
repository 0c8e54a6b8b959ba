import { expect } from 'chai';
import fc from 'fast-check';
import { statusOf, type ApiErrorCode } from '../../../src/adapters/http/api-error.js';
import { serveEveryRoute, watchedQueue, type EveryRouteApp } from '../support/every-route-app.js';
import { hostileKeys, hostileStrings } from '../support/hostile-values.js';

/** A request as the property sends it, and what the rule says of it (`null`: only the envelope). */
interface Probe {
  readonly method: 'GET' | 'POST';
  /** Path and query, exactly as sent (already encoded). */
  readonly target: string;
  readonly expected: Expected | null;
}

type Expected =
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

const listProbes: fc.Arbitrary<Probe> = fc
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

const jobProbes: fc.Arbitrary<Probe> = fc
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

/** Routes that take no parameters answer whatever the query says. */
const fixedProbes: fc.Arbitrary<Probe> = fc
  .tuple(
    fc.constantFrom(
      '/api/v1/health/queues',
      '/api/v1/queues',
      '/api/v1/jobs/failed/stats',
      '/livez',
      '/readyz',
      '/metrics',
    ),
    queryPairs,
  )
  .map(([path, pairs]) => ({
    method: 'GET',
    target: `${path}${encodeQuery(pairs)}`,
    expected: path === '/metrics' ? { kind: 'text' } : { kind: 'status', status: 200 },
  }));

/** Paths no route answers: deeper, shallower or beside the real ones. */
const unknownProbes: fc.Arbitrary<Probe> = fc
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

const rawProbes: fc.Arbitrary<Probe> = fc
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

const codes = Object.keys(statusOf) as ApiErrorCode[];

/** Send a probe; check the envelope every answer must have, then what the rule says of it. */
async function check(app: EveryRouteApp, probe: Probe): Promise<void> {
  app.reset();
  const response = await fetch(`${app.server.url}${probe.target}`, {
    method: probe.method,
    ...(probe.method === 'POST'
      ? { headers: { 'content-type': 'application/json' }, body: '{"name":"property"}' }
      : {}),
  });
  const text = await response.text();
  const where = `${probe.method} ${probe.target.slice(0, 300)} → ${String(response.status)} ${text.slice(0, 300)}`;
  expect(response.status, where).to.satisfy(
    (status: number) => (status >= 200 && status < 300) || (status >= 400 && status < 500),
  );
  expect(app.logger.lines, `${where}: an unexpected error was logged`).to.deep.equal([]);
  const isText = probe.target.startsWith('/metrics') && response.status === 200;
  if (!isText) {
    expect(response.headers.get('content-type'), where).to.match(/^application\/json/);
    const body = JSON.parse(text) as unknown;
    if (response.status >= 400) {
      expect(body, where).to.have.all.keys('error');
      const { error } = body as { error: Record<string, unknown> };
      expect(error, where).to.have.all.keys('code', 'message');
      expect(codes, where).to.include(error.code);
      expect(statusOf[error.code as ApiErrorCode], where).to.equal(response.status);
      expect(error.message, where).to.be.a('string').and.not.equal('');
    }
  }
  const { expected } = probe;
  switch (expected?.kind) {
    case undefined:
      return;
    case 'status':
      expect(response.status, where).to.equal(expected.status);
      return;
    case 'limit':
      expect(response.status, where).to.equal(200);
      expect(
        expected.of === 'failed' ? app.calls.failedLimit : app.calls.alertsLimit,
        where,
      ).to.equal(expected.limit);
      return;
    case 'job':
      if (expected.id === null) {
        expect(response.status, where).to.equal(201);
        expect(app.calls.submit, where).to.deep.equal({ queue: expected.queue, name: 'property' });
      } else {
        expect(response.status, where).to.equal(200);
        expect(JSON.parse(text), where).to.include({ queueName: expected.queue, id: expected.id });
      }
      return;
    case 'text':
      expect(response.status, where).to.equal(200);
      expect(response.headers.get('content-type'), where).to.match(/^text\/plain/);
      return;
  }
}

describe('HTTP API', () => {
  let app: EveryRouteApp;
  before(async () => {
    app = await serveEveryRoute();
  });
  after(async () => {
    await app.server.close();
  });

  describe('query strings and path parameters', () => {
    describe('having well-encoded requests to every route, with valid and invalid values', () => {
      it('should answer as the documented rules say, always 2xx or a 4xx JSON error', async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.oneof(
              { arbitrary: listProbes, weight: 4 },
              { arbitrary: jobProbes, weight: 4 },
              { arbitrary: fixedProbes, weight: 1 },
              { arbitrary: unknownProbes, weight: 1 },
            ),
            (probe) => check(app, probe),
          ),
          { numRuns: 1_000 },
        );
      });
    });

    describe('having raw requests no encoder would produce', () => {
      it('should answer 2xx or a 4xx JSON error, never a 5xx or a crash', async () => {
        await fc.assert(
          fc.asyncProperty(rawProbes, (probe) => check(app, probe)),
          { numRuns: 1_000 },
        );
        // Still up and answering after all of them.
        expect((await fetch(`${app.server.url}/livez`)).status).to.equal(200);
      });
    });
  });
});
