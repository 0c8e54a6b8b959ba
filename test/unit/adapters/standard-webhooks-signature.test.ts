import { createHmac, timingSafeEqual } from 'node:crypto';
import { expect } from 'chai';
import sinon from 'sinon';
import {
  destinationDependencies,
  isDestinationConfigError,
} from '../../../src/adapters/alerting/destination-factory.js';
import {
  signatureHeaders,
  signingKey,
  type SignatureHeaders,
} from '../../../src/adapters/alerting/webhook/standard-webhooks-signature.js';
import {
  createWebhookDestination,
  webhookId,
} from '../../../src/adapters/alerting/webhook/webhook-destination.js';
import { LocalEndpoint, sampleAlert } from '../../support/alert-destination-fixtures.js';
import { RecordingLogger } from '../../support/recording-logger.js';

/**
 * A receiver's check, written from the spec (https://www.standardwebhooks.com) and sharing no code
 * with the sender: HMAC-SHA256 over `{id}.{timestamp}.{body}` with the base64 key after `whsec_`,
 * any of the space-separated `v1,` signatures, a timestamp within five minutes.
 */
/** Headers as a receiver sees them (the sender's typed SignatureHeaders fit too). */
type ReceivedHeaders =
  Partial<SignatureHeaders> | Readonly<Record<string, string | string[] | undefined>>;

function verify(
  secret: string,
  headers: ReceivedHeaders,
  body: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): boolean {
  const {
    'webhook-id': id,
    'webhook-timestamp': timestamp,
    'webhook-signature': signatures,
  } = headers as Readonly<Record<string, string | string[] | undefined>>;
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string')
    return false;
  if (!/^\d+$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > 300) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return signatures.split(' ').some((entry) => {
    const [version, signature] = entry.split(',');
    if (version !== 'v1' || signature === undefined) return false;
    const given = Buffer.from(signature, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

const secret = `whsec_${Buffer.from('a-signing-key-of-thirty-two-byte').toString('base64')}`;

function keyOf(text: string): Buffer {
  const key = signingKey(text);
  if (typeof key === 'string') throw new Error(key);
  return key;
}

describe('Standard Webhooks signature', () => {
  it('should match the test vector of the reference implementation', () => {
    // From standard-webhooks/libraries/javascript/src/webhook.test.ts ("sign function works").
    const headers = signatureHeaders(
      keyOf('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'),
      'msg_p5jXN8AQM9LWM0D4loKWxJek',
      1614265330,
      '{"test": 2432232314}',
    );
    expect(headers).to.deep.equal({
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    });
  });

  it('should be verified by an independent receiver, and a changed body should not', () => {
    const body = JSON.stringify({ note: 'ünïcødé and "quotes"' });
    const now = 1_700_000_000;
    const headers = signatureHeaders(keyOf(secret), 'delivery-7', now, body);
    expect(verify(secret, headers, body, now)).to.equal(true);
    expect(verify(secret, headers, `${body} `, now)).to.equal(false);
    expect(verify(secret, { ...headers, 'webhook-id': 'delivery-8' }, body, now)).to.equal(false);
    expect(verify(secret, headers, body, now + 301), 'stale').to.equal(false);
  });

  it('should accept whsec_ secrets of 24 to 64 bytes and explain any other', () => {
    const of = (bytes: number) => `whsec_${Buffer.alloc(bytes, 7).toString('base64')}`;
    expect(keyOf(of(24))).to.have.length(24);
    expect(keyOf(of(64))).to.have.length(64);
    expect(signingKey(of(23))).to.equal('must decode to 24 to 64 bytes');
    expect(signingKey(of(65))).to.equal('must decode to 24 to 64 bytes');
    expect(signingKey('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).to.equal('must start with whsec_');
    expect(signingKey('whsec_not base64!')).to.equal('must be whsec_ followed by base64');
  });

  it('should refuse an id with a full stop, which would make the signed content ambiguous', () => {
    expect(() => signatureHeaders(keyOf(secret), 'a.b', 1, '{}')).to.throw(RangeError);
  });

  it('should turn a DeliveryAttempt id unfit for the header into a stable digest', () => {
    expect(webhookId('alert-1:ops-webhook')).to.equal('alert-1:ops-webhook');
    const derived = webhookId('alert-1:ops.webhook');
    expect(derived).to.match(/^msg_[A-Za-z0-9_-]{32}$/);
    expect(webhookId('alert-1:ops.webhook')).to.equal(derived);
    expect(webhookId('alert-1:ops.webhook2')).not.to.equal(derived);
  });
});

describe('webhook destination (signed delivery)', () => {
  let endpoint: LocalEndpoint;
  let clock: sinon.SinonFakeTimers | undefined;
  beforeEach(async () => {
    endpoint = await LocalEndpoint.start();
  });
  afterEach(async () => {
    clock?.restore();
    clock = undefined;
    await endpoint.close();
  });

  async function destination() {
    return createWebhookDestination(
      'ops-webhook',
      { url: `${endpoint.origin}/hooks`, secret, headers: { 'x-team': 'payments' } },
      destinationDependencies(new RecordingLogger()),
    );
  }

  it('should send what the receiving server can verify', async () => {
    const alert = sampleAlert();
    const result = await (await destination()).send(alert, { id: 'delivery-1', attempt: 1 });

    expect(result).to.deep.equal({ outcome: 'delivered' });
    const [received] = endpoint.requests;
    expect(verify(secret, received!.headers, received!.body)).to.equal(true);
    expect(received!.headers['webhook-id']).to.equal('delivery-1');
    expect(received!.headers['content-type']).to.equal('application/json');
    expect(received!.headers['x-team']).to.equal('payments');
    expect(JSON.parse(received!.body)).to.deep.equal({
      type: 'alert.firing',
      timestamp: alert.startsAt,
      data: alert,
    });
  });

  it('should keep webhook-id across retries while webhook-timestamp is per attempt', async () => {
    clock = sinon.useFakeTimers({ now: Date.parse('2025-01-01T10:00:00Z'), toFake: ['Date'] });
    const sender = await destination();
    const alert = sampleAlert();

    await sender.send(alert, { id: 'delivery-1', attempt: 1 });
    clock.setSystemTime(Date.parse('2025-01-01T10:00:42Z'));
    await sender.send(alert, { id: 'delivery-1', attempt: 2 });
    await sender.send(alert, { id: 'delivery-2', attempt: 1 });

    const [first, second, other] = endpoint.requests.map((request) => request.headers);
    expect(second!['webhook-id']).to.equal(first!['webhook-id']);
    expect(first!['webhook-timestamp']).to.equal(String(Date.parse('2025-01-01T10:00:00Z') / 1000));
    expect(Number(second!['webhook-timestamp']) - Number(first!['webhook-timestamp'])).to.equal(42);
    expect(other!['webhook-id']).to.equal('delivery-2');
    for (const request of endpoint.requests)
      expect(verify(secret, request.headers, request.body, Math.floor(Date.now() / 1000))).to.equal(
        true,
      );
  });

  it('should send a resolved alert as alert.resolved, timestamped when it ended', async () => {
    const alert = sampleAlert({ status: 'resolved', endsAt: '2025-01-01T10:20:00.000Z' });
    await (await destination()).send(alert, { id: 'delivery-3', attempt: 1 });
    const body = JSON.parse(endpoint.requests[0]!.body) as { type: string; timestamp: string };
    expect(body.type).to.equal('alert.resolved');
    expect(body.timestamp).to.equal('2025-01-01T10:20:00.000Z');
  });

  it('should refuse options that would break the signature, naming the destination', () => {
    const attempt = (options: unknown) => () =>
      createWebhookDestination(
        'ops-webhook',
        options,
        destinationDependencies(new RecordingLogger()),
      );
    const url = 'https://hooks.example.com/queuewatch';
    expect(attempt({ url, secret: 'not-a-secret' }))
      .to.throw()
      .that.satisfies(isDestinationConfigError)
      .and.has.property(
        'message',
        'alerts.destinations "ops-webhook": secret must start with whsec_',
      );
    expect(attempt({ url, secret, headers: { 'Webhook-Id': 'mine' } })).to.throw(
      'alerts.destinations "ops-webhook": headers.Webhook-Id is set by Queuewatch',
    );
    expect(attempt({ url, secret, headers: { 'x-a': 'line\r\nbreak' } })).to.throw(
      'headers.x-a must not contain line breaks',
    );
    expect(attempt({ url: 'http://hooks.example.com/', secret })).to.throw(
      'url must be an https URL (http only for localhost or 127.0.0.1)',
    );
    expect(attempt({ url: 'https://user:pw@hooks.example.com/', secret })).to.throw(
      'url must not contain credentials',
    );
    expect(attempt({ url, secret, timeoutMs: 99 })).to.throw('timeoutMs must be at least 100');
    expect(attempt({ url, secret, retries: 3 })).to.throw('unknown option "retries"');
    expect(attempt({ secret })).to.throw('url is required');
  });

  it('should never quote the secret in a config error', () => {
    const tooShort = `whsec_${Buffer.from('short-key').toString('base64')}`;
    try {
      void createWebhookDestination(
        'ops-webhook',
        { url: 'https://hooks.example.com/', secret: tooShort },
        destinationDependencies(new RecordingLogger()),
      );
      expect.fail('expected a DestinationConfigError');
    } catch (error) {
      expect(isDestinationConfigError(error)).to.equal(true);
      expect((error as Error).message).not.to.contain(tooShort.slice('whsec_'.length));
    }
  });
});
