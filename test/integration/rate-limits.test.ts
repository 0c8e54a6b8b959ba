import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfig } from '../../src/bootstrap/config/load-config.js';
import { startQueuewatch, type RunningQueuewatch } from '../../src/bootstrap/queuewatch.js';
import { HttpReceiver } from '../support/http-receiver.js';
import { RecordingLogger } from '../support/recording-logger.js';
import { useRedisServer } from '../support/redis-harness.js';
import { waitFor } from '../support/wait-for.js';

const token = 'rate-limit-token-0123456789abcdef';
const secret = `whsec_${Buffer.from('queuewatch-rate-limit-signing-key').toString('base64')}`;

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: { error?: { code: string; message: string } };
}

describe('rate limits (two Queuewatch instances, one real Redis, a real alert receiver)', () => {
  const redis = useRedisServer();
  const closers: (() => unknown)[] = [];
  let receiver: HttpReceiver;
  let configPath: string;
  let admin: Redis;

  beforeEach(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'qw-rate-'));
    closers.push(() => rm(dir, { recursive: true, force: true }));
    receiver = await HttpReceiver.start();
    receiver.fallback = { status: 204 };
    closers.push(() => receiver.stop());
    configPath = join(dir, 'queuewatch.json');
    await writeFile(
      configPath,
      JSON.stringify({
        alerts: {
          destinations: [{ name: 'hooks', type: 'webhook', url: `${receiver.url}/a`, secret }],
        },
      }),
    );
    admin = new Redis(redis().url);
    closers.push(() => {
      admin.disconnect();
    });
    await admin.flushall();
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  async function start(
    env: Record<string, string>,
    logger = new RecordingLogger(),
  ): Promise<RunningQueuewatch> {
    const app = await startQueuewatch(
      await loadConfig({
        REDIS_URL: redis().url,
        PORT: '0',
        QUEUEWATCH_QUEUES: 'lab',
        QUEUEWATCH_CONFIG: configPath,
        ...env,
      }),
      { logger },
    );
    closers.push(() => app.stop());
    return app;
  }

  async function post(
    app: RunningQueuewatch,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    const response = await fetch(`${app.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as Answer['body'],
    };
  }

  const testAlert = (app: RunningQueuewatch) => post(app, '/api/v1/alerts/test');
  const rateLimitKeys = () => admin.keys('queuewatch:rate-limit:*');

  it('should hold one limit across two instances and answer 429 with Retry-After', async () => {
    const env = { QUEUEWATCH_RATE_LIMIT_TEST_ALERTS: '3' };
    const a = await start({ ...env, QUEUEWATCH_INSTANCE_ID: 'a' });
    const b = await start({ ...env, QUEUEWATCH_INSTANCE_ID: 'b' });

    const allowed = [await testAlert(a), await testAlert(b), await testAlert(a)];
    expect(allowed.map((answer) => answer.status)).to.deep.equal([200, 200, 200]);
    expect(allowed[0]?.headers.get('ratelimit')).to.match(/^limit=3, remaining=2, reset=\d+$/);
    expect(allowed[2]?.headers.get('ratelimit')).to.match(/^limit=3, remaining=0, reset=\d+$/);

    for (const app of [b, a]) {
      const refused = await testAlert(app);
      expect(refused.status).to.equal(429);
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).to.be.within(1, 60);
      expect(refused.body.error?.code).to.equal('QW_RATE_LIMITED');
      expect(refused.body.error?.message).to.equal(
        `too many test alerts: at most 3 per minute; try again in ${String(retryAfter)} s`,
      );
    }
    // A test alert is sent before its answer, so the refused ones would already have arrived.
    expect(receiver.requests).to.have.length(3);
    expect(await rateLimitKeys()).to.deep.equal([
      'queuewatch:rate-limit:test-alerts:address:127.0.0.1',
    ]);
  });

  it('should let requests in again once the window is over', async () => {
    const app = await start({
      QUEUEWATCH_RATE_LIMIT_TEST_ALERTS: '1',
      QUEUEWATCH_RATE_LIMIT_WINDOW_MS: '3000',
    });
    expect((await testAlert(app)).status).to.equal(200);
    const refused = await testAlert(app);
    expect(refused.status).to.equal(429);
    expect(Number(refused.headers.get('retry-after'))).to.be.within(1, 3);
    expect(refused.body.error?.message).to.match(/at most 1 per 3 s/);
    // The window ends when its counter expires in Redis: wait for that, not for a time.
    await waitFor('the window to end', rateLimitKeys, (keys) => keys.length === 0);
    const again = await testAlert(app);
    expect(again.status).to.equal(200);
    expect(again.headers.get('ratelimit')).to.match(/^limit=1, remaining=0/);
    expect(receiver.requests).to.have.length(2);
  });

  it('should count job submissions apart, by a hash of the token when one is set', async () => {
    const env = {
      QUEUEWATCH_API_TOKEN: token,
      QUEUEWATCH_RATE_LIMIT_JOB_SUBMISSIONS: '2',
      QUEUEWATCH_RATE_LIMIT_TEST_ALERTS: '1',
    };
    const a = await start({ ...env, QUEUEWATCH_INSTANCE_ID: 'a' });
    const b = await start({ ...env, QUEUEWATCH_INSTANCE_ID: 'b' });
    const auth = { authorization: `Bearer ${token}` };
    const submit = (app: RunningQueuewatch) =>
      post(app, '/api/v1/queues/lab/jobs', { name: 'limited' }, auth);
    const queue = new Queue('lab', { connection: { url: redis().url } });
    closers.push(() => queue.close());

    expect([(await submit(a)).status, (await submit(b)).status]).to.deep.equal([201, 201]);
    const refused = await submit(a);
    expect(refused.status).to.equal(429);
    expect(refused.body.error?.message).to.match(/^too many job submissions: at most 2 per/);
    expect(await queue.count()).to.equal(2);
    // A request without the token is refused before it is counted.
    expect((await post(b, '/api/v1/queues/lab/jobs', { name: 'x' })).status).to.equal(401);
    // Test alerts have their own counter.
    expect((await post(b, '/api/v1/alerts/test', undefined, auth)).status).to.equal(200);

    const keys = (await rateLimitKeys()).sort();
    expect(keys).to.have.length(2);
    expect(keys[0]).to.match(/^queuewatch:rate-limit:job-submissions:token:[0-9a-f]{32}$/);
    expect(keys[1]).to.match(/^queuewatch:rate-limit:test-alerts:token:[0-9a-f]{32}$/);
    expect(keys.join(' ')).to.not.contain(token);
  });

  it('should pass requests uncounted while Redis is away, log it once, and count again after', async () => {
    const logger = new RecordingLogger();
    const app = await start({ QUEUEWATCH_RATE_LIMIT_TEST_ALERTS: '2' }, logger);
    const notEnforced = () =>
      logger.lines.filter((line) => line.message.startsWith('rate limits are not enforced'));
    try {
      await redis().stop();
      await waitFor(
        'Queuewatch to see Redis gone',
        async () => (await fetch(`${app.url}/readyz`)).status,
        (status) => status === 503,
      );
      const answers = [];
      for (let sent = 0; sent < 4; sent += 1) answers.push((await testAlert(app)).status);
      expect(answers).to.deep.equal([200, 200, 200, 200]);
      expect(receiver.requests).to.have.length(4);
      expect(notEnforced()).to.have.length(1);
      expect(notEnforced()[0]?.level).to.equal('warn');
    } finally {
      await redis().start();
    }
    await waitFor(
      'Queuewatch to see Redis back',
      async () => (await fetch(`${app.url}/readyz`)).status,
      (status) => status === 200,
    );
    // A fresh Redis knows none of the counting scripts: they are loaded again on first use.
    const statuses = [];
    for (let sent = 0; sent < 3; sent += 1) statuses.push((await testAlert(app)).status);
    expect(statuses).to.deep.equal([200, 200, 429]);
    expect(notEnforced()).to.have.length(1);
    expect(logger.lines.map((line) => line.message)).to.include(
      'rate limits are enforced again: Redis answers',
    );
  });
});
