import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { DeliveryResult } from '../../src/application/ports/alert.port.js';
import { destinationDependencies } from '../../src/adapters/alerting/destination-factory.js';
import {
  createDestinations,
  type DestinationEntry,
} from '../../src/adapters/alerting/destination-registry.js';
import {
  closedPort,
  LocalEndpoint,
  sampleAlert,
  type ReceivedRequest,
  type Responder,
} from '../support/alert-destination-fixtures.js';
import { RecordingLogger } from '../support/recording-logger.js';

/**
 * The contract every HTTP alert destination keeps, checked against a real local server: one try,
 * classified as delivered, retryable or permanent (with Retry-After), never a secret in the reason
 * or the log.
 */

/** One HTTP destination under test: how to configure it against an origin, and its secrets. */
interface Subject {
  readonly type: string;
  readonly secrets: readonly string[];
  entry(origin: string, timeoutMs: number): DestinationEntry;
}

const pluginsDir = fileURLToPath(new URL('../../docs/plugins/', import.meta.url));
const slackPath = '/services/T0CONTRACT/B0CONTRACT/sl4ck-s3cret-path';
const webhookSecret = `whsec_${Buffer.from('contract-test-signing-key-32-byte').toString('base64')}`;
const pluginToken = 'pl4gin-t0ken-s3cret';
const routingKey = 'R0UT1NGKEYc0ntract0000000000000';
const genieKey = 'g3nie-k3y-c0ntract-s3cret';
const discordPath = '/api/webhooks/123456789012345678/d1sc0rd-t0ken-s3cret';
const teamsQuery = '?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sig=t3ams-s1gnature-s3cret';

const subjects: readonly Subject[] = [
  {
    type: 'slack',
    secrets: [slackPath, 'sl4ck-s3cret-path'],
    entry: (origin, timeoutMs) => ({
      name: 'team-slack',
      type: 'slack',
      options: { url: `${origin}${slackPath}`, timeoutMs },
    }),
  },
  {
    type: 'webhook',
    secrets: [webhookSecret, webhookSecret.slice('whsec_'.length), 'qs-t0ken-s3cret', 'hdr-t0ken'],
    entry: (origin, timeoutMs) => ({
      name: 'ops-webhook',
      type: 'webhook',
      options: {
        url: `${origin}/hooks/queuewatch?token=qs-t0ken-s3cret`,
        secret: webhookSecret,
        timeoutMs,
        headers: { authorization: 'Bearer hdr-t0ken' },
      },
    }),
  },
  {
    type: 'module (docs/plugins/example-destination.js)',
    secrets: [pluginToken],
    entry: (origin, timeoutMs) => ({
      name: 'team-chat',
      type: 'module',
      options: {
        module: './example-destination.js',
        options: { url: `${origin}/hooks/${pluginToken}`, timeoutMs },
      },
    }),
  },
  {
    type: 'pagerduty',
    secrets: [routingKey],
    entry: (origin, timeoutMs) => ({
      name: 'on-call',
      type: 'pagerduty',
      options: { routingKey, url: `${origin}/v2/enqueue`, timeoutMs },
    }),
  },
  {
    type: 'opsgenie',
    secrets: [genieKey],
    entry: (origin, timeoutMs) => ({
      name: 'ops-genie',
      type: 'opsgenie',
      options: { apiKey: genieKey, url: origin, timeoutMs },
    }),
  },
  {
    type: 'discord',
    secrets: [discordPath, 'd1sc0rd-t0ken-s3cret'],
    entry: (origin, timeoutMs) => ({
      name: 'team-discord',
      type: 'discord',
      options: { url: `${origin}${discordPath}`, timeoutMs },
    }),
  },
  {
    type: 'teams',
    secrets: ['t3ams-s1gnature-s3cret'],
    entry: (origin, timeoutMs) => ({
      name: 'team-teams',
      type: 'teams',
      options: {
        url: `${origin}/workflows/abc/triggers/manual/paths/invoke${teamsQuery}`,
        timeoutMs,
      },
    }),
  },
];

type Expected =
  | { readonly outcome: 'delivered' }
  | {
      readonly outcome: 'failed';
      readonly retryable: boolean;
      readonly reasonIncludes: readonly string[];
      /** Exact, or a [min, max] range for an HTTP date. */
      readonly retryAfterMs?: number | readonly [number, number];
    };

/** Where the destination is pointed: the answering server, or a place where nothing answers. */
type Target = 'server' | 'closed port' | 'unresolvable host';

interface Case {
  readonly name: string;
  readonly target?: Target;
  readonly respond?: Responder;
  readonly timeoutMs?: number;
  readonly expected: Expected;
}

/** Answer with a status; body and headers may depend on the request (to echo its path). */
const answer =
  (
    status: number,
    body: string | ((request: ReceivedRequest) => string) = '',
    headers: Record<string, string> | (() => Record<string, string>) = {},
  ): Responder =>
  (response, request) => {
    const extra = typeof headers === 'function' ? headers() : headers;
    response.writeHead(status, { 'content-type': 'text/plain', ...extra });
    response.end(typeof body === 'function' ? body(request) : body);
  };

const permanent = (...reasonIncludes: string[]): Expected => ({
  outcome: 'failed',
  retryable: false,
  reasonIncludes,
});

const retryable = (
  reasonIncludes: readonly string[],
  retryAfterMs?: number | readonly [number, number],
): Expected =>
  retryAfterMs === undefined
    ? { outcome: 'failed', retryable: true, reasonIncludes }
    : { outcome: 'failed', retryable: true, reasonIncludes, retryAfterMs };

const cases: readonly Case[] = [
  { name: '200 ok', respond: answer(200, 'ok'), expected: { outcome: 'delivered' } },
  { name: '204 no content', respond: answer(204), expected: { outcome: 'delivered' } },
  {
    name: '400 invalid_payload',
    respond: answer(400, 'invalid_payload'),
    expected: permanent('400', 'invalid_payload'),
  },
  {
    name: '403 action_prohibited',
    respond: answer(403, 'action_prohibited'),
    expected: permanent('403'),
  },
  {
    name: '403 whose body echoes the request path',
    respond: answer(403, (request) => `forbidden: POST ${request.url}`),
    expected: permanent('403', 'forbidden'),
  },
  {
    // The reason keeps 200 characters of the body; the cut falls inside the secret, so only
    // redacting before cutting keeps its first half out.
    name: '403 whose long body is cut inside the request path',
    respond: answer(
      403,
      (request) => `${'x'.repeat(199 - (request.url.length - 5))}${request.url}`,
    ),
    expected: permanent('403', 'xxxx'),
  },
  {
    name: '404 no_service',
    respond: answer(404, 'no_service'),
    expected: permanent('404', 'no_service'),
  },
  {
    name: '404 channel_not_found',
    respond: answer(404, 'channel_not_found'),
    expected: permanent('404', 'channel_not_found'),
  },
  {
    name: '410 channel_is_archived',
    respond: answer(410, 'channel_is_archived'),
    expected: permanent('410', 'channel_is_archived'),
  },
  { name: '422 (another 4xx)', respond: answer(422, 'nope'), expected: permanent('422') },
  {
    name: '429 with Retry-After: 2',
    respond: answer(429, 'rate_limited', { 'retry-after': '2' }),
    expected: retryable(['429'], 2000),
  },
  {
    name: '429 with Retry-After as an HTTP date',
    respond: answer(429, 'rate_limited', () => ({
      'retry-after': new Date(Date.now() + 30_000).toUTCString(),
    })),
    // An HTTP date has whole seconds, so up to one second (plus the round trip) is lost.
    expected: retryable(['429'], [25_000, 30_000]),
  },
  { name: '408 request timeout', respond: answer(408), expected: retryable(['408']) },
  { name: '500', respond: answer(500, 'internal_error'), expected: retryable(['500']) },
  {
    name: '503 with Retry-After: 120',
    respond: answer(503, 'maintenance', { 'retry-after': '120' }),
    expected: retryable(['503'], 120_000),
  },
  {
    name: '301 redirect (not followed)',
    respond: answer(301, 'moved', { location: '/somewhere-else' }),
    expected: permanent('301', 'redirect'),
  },
  {
    name: 'a server that never answers (timeout)',
    respond: () => undefined,
    timeoutMs: 300,
    expected: retryable(['300 ms']),
  },
  { name: 'connection refused', target: 'closed port', expected: retryable(['127.0.0.1']) },
  {
    name: 'DNS failure',
    target: 'unresolvable host',
    expected: retryable(['queuewatch-contract.invalid']),
  },
];

describe('alert destinations (HTTP contract)', () => {
  let endpoint: LocalEndpoint;
  beforeEach(async () => {
    endpoint = await LocalEndpoint.start();
  });
  afterEach(async () => {
    await endpoint.close();
  });

  for (const subject of subjects) {
    describe(subject.type, () => {
      for (const testCase of cases) {
        it(`${testCase.name} → ${label(testCase.expected)}`, async () => {
          const target = testCase.target ?? 'server';
          if (testCase.respond) endpoint.respond = testCase.respond;
          const logger = new RecordingLogger();
          const [destination] = await createDestinations(
            [subject.entry(await originOf(target, endpoint), testCase.timeoutMs ?? 3000)],
            destinationDependencies(logger),
            pluginsDir,
          );

          const result = await destination!.send(sampleAlert(), { id: 'delivery-1', attempt: 1 });

          expectResult(result, testCase.expected);
          if (target === 'server') {
            // One request: no retry inside the destination, and no redirect followed.
            expect(endpoint.requests).to.have.length(1);
            expect(endpoint.requests[0]!.method).to.equal('POST');
            expect(endpoint.requests[0]!.headers['content-type']).to.match(/^application\/json/);
          }
          const written = JSON.stringify({ result, lines: logger.lines });
          for (const secret of subject.secrets) {
            expect(written).not.to.contain(secret);
            expect(written, 'half a secret').not.to.contain(firstHalf(secret));
          }
        });
      }
    });
  }
});

async function originOf(target: Target, endpoint: LocalEndpoint): Promise<string> {
  switch (target) {
    case 'server':
      return endpoint.origin;
    case 'closed port':
      return `http://127.0.0.1:${String(await closedPort())}`;
    case 'unresolvable host':
      // RFC 6761 reserves .invalid: it never resolves, so https is fine and no rule is bent.
      return 'https://queuewatch-contract.invalid';
  }
}

function expectResult(result: DeliveryResult, expected: Expected): void {
  if (expected.outcome === 'delivered') {
    expect(result).to.deep.equal({ outcome: 'delivered' });
    return;
  }
  if (result.outcome !== 'failed') expect.fail(`expected a failure, got ${JSON.stringify(result)}`);
  expect(result.retryable, result.reason).to.equal(expected.retryable);
  for (const part of expected.reasonIncludes) expect(result.reason).to.contain(part);
  const wanted = expected.retryAfterMs;
  if (wanted === undefined) expect(result.retryAfterMs).to.equal(undefined);
  else if (typeof wanted === 'number') expect(result.retryAfterMs).to.equal(wanted);
  else expect(result.retryAfterMs).to.be.within(wanted[0], wanted[1]);
}

/** Enough of a secret to recognise it when the rest was cut off (at least 6 characters). */
function firstHalf(secret: string): string {
  return secret.slice(0, Math.max(6, Math.ceil(secret.length / 2)));
}

function label(expected: Expected): string {
  if (expected.outcome === 'delivered') return 'delivered';
  return expected.retryable ? 'retryable' : 'permanent';
}
