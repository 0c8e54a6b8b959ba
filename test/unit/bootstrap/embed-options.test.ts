import { createServer, connect, type Server } from 'node:net';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { isConfigError } from '../../../src/bootstrap/config/config-error.js';
import { loadConfig } from '../../../src/bootstrap/config/load-config.js';
import { embeddedSettings } from '../../../src/bootstrap/embed/embed-options.js';
import { createQueuewatch } from '../../../src/index.js';

/** The ConfigError message `embeddedSettings(options)` throws. */
function refusal(options: unknown): string {
  try {
    embeddedSettings(options);
  } catch (error) {
    expect(isConfigError(error), String(error)).to.equal(true);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

const prefix = 'invalid createQueuewatch options: ';

describe('embeddedSettings', () => {
  describe('having valid options', () => {
    it('should build the configuration the same environment would, minus the Host guard', async () => {
      const { config, mountPath } = embeddedSettings({
        connection: { url: 'redis://cache.internal:6380/2' },
        queues: ['emails', { name: 'payments', priority: 'critical' }],
        prefix: 'jobs',
        rateLimits: { windowMs: 5_000 },
        auth: { token: 'a-token-of-sixteen-chars' },
      });
      const standalone = await loadConfig({
        REDIS_URL: 'redis://cache.internal:6380/2',
        QUEUEWATCH_QUEUES: 'emails,payments',
        QUEUEWATCH_PREFIX: 'jobs',
        QUEUEWATCH_RATE_LIMIT_WINDOW_MS: '5000',
        QUEUEWATCH_API_TOKEN: 'a-token-of-sixteen-chars',
      });
      const payments = config.queues.configured.find((queue) => queue.name === 'payments');
      expect(payments?.priority).to.equal('critical');
      // The standalone server knows the queues' names only, hence their default priority.
      expect(config).to.deep.equal({
        ...standalone,
        queues: {
          ...standalone.queues,
          configured: standalone.queues.configured.map((queue) =>
            queue.name === 'payments' ? { ...queue, priority: 'critical' } : queue,
          ),
        },
        http: { ...standalone.http, loopbackHostsOnly: false },
      });
      expect(config.queues.discover).to.equal(false);
      expect(mountPath).to.equal(null);
    });

    it('should take tokens with roles beside the admin token, and read-only mode, as the file and environment would', async () => {
      const { config } = embeddedSettings({
        connection: 'redis://h',
        auth: {
          token: 'admin-token-0123456789',
          tokens: [
            { name: 'ops', role: 'operator', token: 'ops-token-0123456789' },
            { name: 'dash.viewer', role: 'viewer', token: 'viewer-token-0123456789' },
          ],
        },
        readOnly: true,
      });
      expect(config.auth).to.deep.equal({
        tokens: [
          { name: 'admin', role: 'admin', token: 'admin-token-0123456789' },
          { name: 'ops', role: 'operator', token: 'ops-token-0123456789' },
          { name: 'dash.viewer', role: 'viewer', token: 'viewer-token-0123456789' },
        ],
        readOnly: true,
      });
      const standalone = await loadConfig({
        REDIS_URL: 'redis://h',
        QUEUEWATCH_READ_ONLY: 'true',
        QUEUEWATCH_API_TOKEN: 'admin-token-0123456789',
      });
      expect(standalone.auth.readOnly).to.equal(true);
      expect(embeddedSettings({ connection: 'redis://h' }).config.auth).to.deep.equal({
        tokens: [],
        readOnly: false,
      });
    });

    it('should take the URL as a string, and discover queues when none is named', () => {
      const { config } = embeddedSettings({ connection: 'redis://127.0.0.1:7000' });
      expect(config.redisUrl).to.equal('redis://127.0.0.1:7000');
      expect(config.queues.discover).to.equal(true);
    });

    it('should take TLS certificates as PEM texts beside a rediss:// URL', () => {
      const ca = '-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----\n';
      const { config } = embeddedSettings({
        connection: { url: 'rediss://cache.internal:6380', tls: { ca, servername: 'cache' } },
      });
      expect(config.redisUrl).to.equal('rediss://cache.internal:6380');
      expect(config.redisTls).to.deep.equal({ ca, cert: null, key: null, servername: 'cache' });
      expect(embeddedSettings({ connection: 'rediss://cache:6380' }).config.redisTls).to.equal(
        null,
      );
    });

    it('should take Sentinels as the environment would, their password kept as a secret', async () => {
      const { config } = embeddedSettings({
        connection: {
          url: 'redis://:app-pass@ignored:6379',
          sentinels: { nodes: ['10.0.0.5:26379', '[::1]:26380'], name: 'queues', password: 's3' },
        },
      });
      const standalone = await loadConfig({
        REDIS_URL: 'redis://:app-pass@ignored:6379',
        REDIS_SENTINELS: '10.0.0.5:26379,[::1]:26380',
        REDIS_SENTINEL_NAME: 'queues',
        REDIS_SENTINEL_PASSWORD: 's3',
      });
      expect(config.redisSentinels).to.deep.equal(standalone.redisSentinels);
      expect(config.redisSentinels).to.deep.include({ name: 'queues', password: 's3' });
    });

    it('should keep the mountPath without its trailing slash', () => {
      expect(
        embeddedSettings({ connection: 'redis://h', mountPath: '/admin/queues/' }).mountPath,
      ).to.equal('/admin/queues');
    });
  });

  describe('having a missing or wrong connection', () => {
    it('should say it is required and what it takes', () => {
      expect(refusal({})).to.equal(
        `${prefix}connection: required: the Redis that holds your queues, as "redis://host:6379" or { url: "redis://host:6379" }`,
      );
      expect(refusal(undefined)).to.equal(
        `${prefix}expected an object like { connection: 'redis://127.0.0.1:6379' }`,
      );
    });

    it('should refuse a URL that is not Redis, without echoing it', () => {
      const message = refusal({ connection: 'http://user:hunter2@cache:6379' });
      expect(message).to.equal(
        `${prefix}connection: expected a URL like redis://host:6379 or rediss://user:pass@host:6380/0`,
      );
    });

    it('should refuse a client, or client options, saying it opens its own connections', () => {
      const client = { status: 'ready', sendCommand: () => undefined, options: {} };
      expect(refusal({ connection: client })).to.match(
        /^invalid createQueuewatch options: connection: expected .* not a Redis client: Queuewatch opens its own connections/,
      );
      expect(refusal({ connection: { host: 'cache', port: 6379 } })).to.equal(
        `${prefix}connection: expected { url } (and tls, sentinels) alone, not "host", "port": Queuewatch opens its own connections, so it takes a URL rather than a client or its options`,
      );
      expect(refusal({ connection: 6379 })).to.match(/connection: expected .*, not a number$/);
      expect(refusal({ connection: { url: 42 } })).to.equal(
        `${prefix}connection: url: expected a non-empty string like "redis://host:6379"`,
      );
    });

    it('should refuse TLS that cannot work, saying why', () => {
      const ca = '-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----\n';
      expect(refusal({ connection: { url: 'redis://cache:6379', tls: { ca } } })).to.equal(
        `${prefix}connection.tls: given for a url that is not rediss://`,
      );
      expect(refusal({ connection: { url: 'rediss://cache:6380', tls: { cert: ca } } })).to.equal(
        `${prefix}connection.tls: a client certificate needs its key: give cert and key, or neither`,
      );
      expect(refusal({ connection: { url: 'rediss://cache:6380', tls: { ca: 'x' } } })).to.match(
        /connection\.tls: .*ca.*expected PEM text/,
      );
      expect(
        refusal({ connection: { url: 'rediss://cache:6380', tls: { rejectUnauthorized: false } } }),
      ).to.match(/connection\.tls: .*rejectUnauthorized/);
    });

    it('should refuse Sentinels it cannot use, naming the option', () => {
      const url = 'redis://cache:6379';
      expect(refusal({ connection: { url, sentinels: { nodes: [], name: 'q' } } })).to.equal(
        `${prefix}connection.sentinels: nodes: expected at least one Sentinel as "host:port"`,
      );
      expect(
        refusal({ connection: { url, sentinels: { nodes: ['sentinel-a'], name: 'q' } } }),
      ).to.equal(
        `${prefix}connection.sentinels.nodes=["sentinel-a"]: expected Sentinels as host:port,host:port (like 10.0.0.5:26379)`,
      );
      expect(refusal({ connection: { url, sentinels: ['10.0.0.5:26379'] } })).to.match(
        /^invalid createQueuewatch options: connection\.sentinels: /,
      );
    });
  });

  describe('having an unknown option', () => {
    it('should name it and list the options', () => {
      expect(refusal({ connection: 'redis://h', prefx: 'jobs' })).to.match(
        /^invalid createQueuewatch options: unknown option "prefx" \(the options are connection, queues, prefix, /,
      );
    });

    it('should name a nested one with where it is', () => {
      expect(refusal({ connection: 'redis://h', rateLimits: { window: 5 } })).to.equal(
        `${prefix}rateLimits: unknown option "window"`,
      );
      expect(
        refusal({ connection: 'redis://h', alerts: { destinations: [{ type: 'log' }], retry: 1 } }),
      ).to.match(/^invalid createQueuewatch options: alerts: Unrecognized key: "retry"$/);
    });
  });

  describe('having a wrong value', () => {
    it('should name the option and say what it takes, as the environment would', () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ prefix: 42 }, 'prefix: Invalid input: expected string, received number'],
        [{ prefix: 'a b' }, 'prefix="a b": a prefix has no white space or glob characters'],
        [{ redisTimeoutMs: 1.5 }, 'redisTimeoutMs=1.5: expected a whole number from 50 to 60000'],
        [
          { rateLimits: { windowMs: 10 } },
          'rateLimits.windowMs=10: expected a whole number from 1000 to 86400000',
        ],
        [
          { auth: { token: 'short' } },
          'auth.token: use a token of at least 16 characters (e.g. `openssl rand -hex 32`)',
        ],
        [{ queues: [] }, 'queues: name at least one queue, or leave queues out to discover them'],
        [{ queues: ['a:b'] }, 'queues[0].name: a queue name has no colon or white space'],
        [
          { allowedOrigins: ['https://ops.example.com/admin'] },
          'allowedOrigins=["https://ops.example.com/admin"]: expected origins like https://ops.example.com (scheme, host and port; no path)',
        ],
        [
          { auth: { tokens: [{ name: 'ops', role: 'root', token: 'ops-token-0123456789' }] } },
          'auth.tokens[0].role: Invalid option: expected one of "viewer"|"operator"|"admin"',
        ],
        [
          { auth: { tokens: [{ name: 'ops team', role: 'viewer', token: 'x'.repeat(16) }] } },
          'auth.tokens[0].name: a token name is 1-64 letters, digits, ., - or _',
        ],
        [
          { auth: { tokens: [{ name: 'ops', role: 'viewer', tokenEnv: 'OPS' }] } },
          'auth.tokens[0].token: Invalid input: expected string, received undefined; auth.tokens[0]: unknown option "tokenEnv"',
        ],
        [
          { auth: { tokens: [{ name: 'ops', role: 'viewer', token: 'short' }] } },
          'auth.tokens[0] ("ops"): the token is shorter than 16 characters (e.g. `openssl rand -hex 32`)',
        ],
        [
          {
            auth: {
              token: 'admin-token-0123456789',
              tokens: [{ name: 'admin', role: 'viewer', token: 'viewer-token-0123456789' }],
            },
          },
          'auth.tokens[0] ("admin"): the name "admin" is auth.token\'s; choose another',
        ],
        [
          {
            auth: {
              tokens: [
                { name: 'ops', role: 'operator', token: 'shared-token-0123456789' },
                { name: 'dash', role: 'viewer', token: 'shared-token-0123456789' },
              ],
            },
          },
          'auth.tokens[1] ("dash"): its token is also "ops"\'s; give each its own',
        ],
        [{ readOnly: 'yes' }, 'readOnly: Invalid input: expected boolean, received string'],
        [
          { mountPath: '/:tenant' },
          'mountPath: expected a plain path like /queues (no parameters or patterns)',
        ],
      ];
      for (const [options, problem] of cases) {
        expect(refusal({ connection: 'redis://h', ...options })).to.equal(`${prefix}${problem}`);
      }
    });
  });
});

describe('createQueuewatch', () => {
  describe('having options it refuses', () => {
    let fakeRedis: Server;
    let connections = 0;
    let url: string;

    before(async () => {
      // A TCP server standing for Redis, counting who connects to it.
      fakeRedis = createServer((socket) => {
        connections += 1;
        socket.destroy();
      });
      fakeRedis.listen(0, '127.0.0.1');
      await once(fakeRedis, 'listening');
      url = `redis://127.0.0.1:${String((fakeRedis.address() as AddressInfo).port)}`;
    });
    after(async () => {
      await new Promise((resolve) => fakeRedis.close(resolve));
    });

    it('should throw before it opens any connection', async () => {
      const attempts: [string, unknown][] = [
        ['an unknown option', { connection: url, prefx: 'jobs' }],
        ['a wrong value', { connection: url, prefix: 'a b' }],
        [
          'a destination it cannot build',
          { connection: url, alerts: { destinations: [{ type: 'webhook' }] } },
        ],
      ];
      for (const [what, options] of attempts) {
        const error: unknown = await createQueuewatch(options as never).then(
          () => null,
          (thrown: unknown) => thrown,
        );
        expect(error, what).to.have.property('code', 'QW_CONFIG_INVALID');
      }
      // The sentinel: a connection made now is counted after any Queuewatch would have made.
      const sentinel = connect(Number(new URL(url).port), '127.0.0.1');
      await once(fakeRedis, 'connection');
      sentinel.destroy();
      expect(connections, 'connections the fake Redis accepted').to.equal(1);
    });
  });
});
