import { expect } from 'chai';
import { isConfigError } from '../../../src/bootstrap/config/config-error.js';
import { loadConfig } from '../../../src/bootstrap/config/load-config.js';
import { defaultHealthThresholds } from '../../../src/domain/queue-health/index.js';

type Env = Record<string, string | undefined>;

/** Read files from a table instead of the disk. */
function files(table: Record<string, string>) {
  return (path: string) => {
    const text = table[path];
    if (text === undefined)
      return Promise.reject(new Error(`ENOENT: no such file or directory, open '${path}'`));
    return Promise.resolve(text);
  };
}

async function configError(env: Env, table: Record<string, string> = {}): Promise<string> {
  try {
    await loadConfig(env, files(table));
  } catch (error) {
    expect(isConfigError(error), String(error)).to.equal(true);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  describe('having an empty environment', () => {
    it('should use the documented defaults: loopback, port 3000, discovery on', async () => {
      const config = await loadConfig({});
      expect(config).to.deep.include({
        redisUrl: 'redis://127.0.0.1:6379',
        host: '127.0.0.1',
        port: 3000,
        prefix: 'bull',
        apiToken: null,
        logLevel: 'info',
        health: defaultHealthThresholds,
        healthCacheMs: 1_000,
        healthQuietRefreshMs: 10_000,
        healthKeepFreshMs: 10_000,
      });
      expect(config.queues).to.deep.include({
        configured: [],
        discover: true,
        discoveryIntervalMs: 30_000,
      });
    });

    it('should treat an empty variable as unset', async () => {
      const config = await loadConfig({ PORT: '', QUEUEWATCH_API_TOKEN: '' });
      expect(config.port).to.equal(3000);
      expect(config.apiToken).to.equal(null);
    });
  });

  describe('having bad environment values', () => {
    it('should name QUEUEWATCH_HEALTH_QUIET_REFRESH_MS and its range when it is not one', async () => {
      expect(await configError({ QUEUEWATCH_HEALTH_QUIET_REFRESH_MS: '-1' })).to.equal(
        'invalid environment: QUEUEWATCH_HEALTH_QUIET_REFRESH_MS="-1": expected a whole number from 0 to 3600000',
      );
      expect(await configError({ QUEUEWATCH_HEALTH_QUIET_REFRESH_MS: '1.5s' })).to.contain(
        'QUEUEWATCH_HEALTH_QUIET_REFRESH_MS="1.5s"',
      );
      expect(
        (await loadConfig({ QUEUEWATCH_HEALTH_QUIET_REFRESH_MS: '0' })).healthQuietRefreshMs,
      ).to.equal(0);
    });

    it('should name PORT and the value when it is not a port', async () => {
      expect(await configError({ PORT: 'abc' })).to.equal(
        'invalid environment: PORT="abc": expected a whole number from 0 to 65535',
      );
      expect(await configError({ PORT: '70000' })).to.contain('PORT="70000"');
    });

    it('should name REDIS_URL without echoing it (it may hold a password)', async () => {
      const message = await configError({ REDIS_URL: 'http://user:hunter2@host' });
      expect(message).to.contain('REDIS_URL: expected a URL like redis://');
      expect(message).to.not.contain('hunter2');
    });

    it('should refuse a short token without echoing it', async () => {
      const message = await configError({ QUEUEWATCH_API_TOKEN: 'short-secret' });
      expect(message).to.contain('QUEUEWATCH_API_TOKEN: use a token of at least 16 characters');
      expect(message).to.not.contain('short-secret');
    });

    it('should refuse queue names with a colon', async () => {
      expect(await configError({ QUEUEWATCH_QUEUES: 'ok,not:ok' })).to.contain('QUEUEWATCH_QUEUES');
    });

    it('should refuse a LOG_LEVEL it does not know', async () => {
      expect(await configError({ LOG_LEVEL: 'loud' })).to.contain('LOG_LEVEL="loud"');
    });
  });

  describe('having QUEUEWATCH_QUEUES', () => {
    it('should watch exactly those queues and turn discovery off', async () => {
      const config = await loadConfig({ QUEUEWATCH_QUEUES: ' a, b ,,c ' });
      expect(config.queues.configured.map((queue) => queue.name)).to.deep.equal(['a', 'b', 'c']);
      expect(config.queues.discover).to.equal(false);
    });
  });

  describe('having QUEUEWATCH_ALLOWED_ORIGINS', () => {
    it('should allow no other origin by default, and guard Host names on loopback', async () => {
      expect((await loadConfig({})).http).to.deep.include({
        allowedOrigins: [],
        loopbackHostsOnly: true,
      });
      const open = await loadConfig({ HOST: '0.0.0.0', QUEUEWATCH_API_TOKEN: 'a'.repeat(32) });
      expect(open.http.loopbackHostsOnly).to.equal(false);
    });

    it('should read a comma-separated list of origins, written as browsers send them', async () => {
      const config = await loadConfig({
        QUEUEWATCH_ALLOWED_ORIGINS: ' https://Ops.Example.com ,http://localhost:5173/,, ',
      });
      expect(config.http.allowedOrigins).to.deep.equal([
        'https://ops.example.com',
        'http://localhost:5173',
      ]);
    });

    it('should refuse anything but an http(s) origin, naming the variable', async () => {
      for (const value of [
        '*',
        'ops.example.com',
        'https://ops.example.com/dashboard',
        'https://ops.example.com?x',
        'https://user@ops.example.com',
        'ftp://ops.example.com',
        'https://ok.example.com,null',
        ' , ',
      ]) {
        const message = await configError({ QUEUEWATCH_ALLOWED_ORIGINS: value });
        expect(message, value).to.match(/^invalid environment: QUEUEWATCH_ALLOWED_ORIGINS/);
        expect(message, value).to.contain('expected origins like https://ops.example.com');
        expect(message.split('\n'), value).to.have.length(1);
      }
    });
  });

  describe('having rate limits', () => {
    it('should default to 10 test alerts and 120 job submissions a minute per client', async () => {
      expect((await loadConfig({})).http.rateLimits).to.deep.equal({
        testAlerts: { limit: 10, windowMs: 60_000 },
        jobSubmissions: { limit: 120, windowMs: 60_000 },
      });
    });

    it('should read each limit and the window, 0 turning a limit off', async () => {
      const config = await loadConfig({
        QUEUEWATCH_RATE_LIMIT_TEST_ALERTS: '0',
        QUEUEWATCH_RATE_LIMIT_JOB_SUBMISSIONS: '30',
        QUEUEWATCH_RATE_LIMIT_WINDOW_MS: '10000',
      });
      expect(config.http.rateLimits).to.deep.equal({
        testAlerts: { limit: 0, windowMs: 10_000 },
        jobSubmissions: { limit: 30, windowMs: 10_000 },
      });
    });

    it('should name a bad value and its range', async () => {
      expect(await configError({ QUEUEWATCH_RATE_LIMIT_TEST_ALERTS: '-1' })).to.equal(
        'invalid environment: QUEUEWATCH_RATE_LIMIT_TEST_ALERTS="-1": expected a whole number from 0 to 1000000',
      );
      expect(await configError({ QUEUEWATCH_RATE_LIMIT_WINDOW_MS: '10' })).to.equal(
        'invalid environment: QUEUEWATCH_RATE_LIMIT_WINDOW_MS="10": expected a whole number from 1000 to 86400000',
      );
    });
  });

  describe('having a non-loopback HOST', () => {
    it('should refuse to start without a token', async () => {
      expect(await configError({ HOST: '0.0.0.0' })).to.contain('set QUEUEWATCH_API_TOKEN');
    });

    it('should start with a token', async () => {
      const config = await loadConfig({ HOST: '0.0.0.0', QUEUEWATCH_API_TOKEN: 'a'.repeat(32) });
      expect(config.apiToken).to.equal('a'.repeat(32));
    });

    it('should start anonymously only when QUEUEWATCH_ALLOW_ANONYMOUS=true', async () => {
      const config = await loadConfig({ HOST: '0.0.0.0', QUEUEWATCH_ALLOW_ANONYMOUS: 'true' });
      expect(config.apiToken).to.equal(null);
      expect(await configError({ HOST: '0.0.0.0', QUEUEWATCH_ALLOW_ANONYMOUS: 'yes' })).to.contain(
        'QUEUEWATCH_ALLOW_ANONYMOUS="yes": expected true or false',
      );
    });

    it('should count every 127.x address, ::1 and localhost as loopback', async () => {
      for (const host of ['127.0.0.2', '::1', 'localhost']) {
        expect((await loadConfig({ HOST: host })).host).to.equal(host);
      }
    });
  });

  describe('having a config file', () => {
    const env = { QUEUEWATCH_CONFIG: '/etc/qw.json' };

    it('should merge health thresholds and per-queue thresholds over the defaults', async () => {
      const config = await loadConfig(
        env,
        files({
          '/etc/qw.json': JSON.stringify({
            queues: [
              { name: 'wallet', priority: 'critical', thresholds: { staleJobs: { unhealthy: 2 } } },
            ],
            health: {
              queue: { staleJobAfterMs: 60_000 },
              redis: { latencyMs: { degraded: 20 } },
            },
          }),
        }),
      );
      const wallet = config.queues.configured[0];
      expect(wallet?.priority).to.equal('critical');
      expect(wallet?.thresholds.staleJobAfterMs).to.equal(60_000);
      expect(wallet?.thresholds.staleJobs).to.deep.equal({ degraded: 1, unhealthy: 2 });
      expect(config.queues.defaults.thresholds.staleJobAfterMs).to.equal(60_000);
      expect(config.health.redis.latencyMs).to.deep.equal({ degraded: 20, unhealthy: 1_000 });
    });

    it('should fill ${ENV} references from the environment', async () => {
      const config = await loadConfig(
        { ...env, QUEUE_ONE: 'payments' },
        files({ '/etc/qw.json': '{"queues":[{"name":"${QUEUE_ONE}"}]}' }),
      );
      expect(config.queues.configured[0]?.name).to.equal('payments');
    });

    it('should name the place of an ${ENV} reference that is not set', async () => {
      expect(
        await configError(env, {
          '/etc/qw.json': '{"alerts":{"destinations":[{"url":"${SLACK_URL}"}]}}',
        }),
      ).to.equal(
        '/etc/qw.json: alerts.destinations[0].url refers to ${SLACK_URL}, but SLACK_URL is not set',
      );
    });

    it('should say when the file is missing', async () => {
      expect(await configError(env)).to.match(
        /^QUEUEWATCH_CONFIG: cannot read \/etc\/qw.json: ENOENT/,
      );
    });

    it('should say when the file is not JSON', async () => {
      expect(await configError(env, { '/etc/qw.json': '{ queues: [' })).to.contain(
        'QUEUEWATCH_CONFIG: /etc/qw.json is not valid JSON',
      );
    });

    it('should name an unknown key (a typo) and a bad value with their path', async () => {
      expect(await configError(env, { '/etc/qw.json': '{"queus":[]}' })).to.contain(
        '/etc/qw.json: (root): ',
      );
      expect(
        await configError(env, { '/etc/qw.json': '{"queues":[{"name":"a","priority":"urgent"}]}' }),
      ).to.contain('queues[0].priority');
    });

    it('should refuse a degraded level above the unhealthy one', async () => {
      expect(
        await configError(env, {
          '/etc/qw.json': '{"health":{"queue":{"staleJobs":{"degraded":9}}}}',
        }),
      ).to.contain('health.queue.staleJobs: degraded (9) must not exceed unhealthy (5)');
    });

    it('should refuse a queue listed twice', async () => {
      expect(
        await configError(env, { '/etc/qw.json': '{"queues":[{"name":"a"},{"name":"a"}]}' }),
      ).to.contain('queue "a" is listed twice');
    });
  });

  // Counterexamples the property tests in test/property/bootstrap/load-config.test.ts found.
  describe('having odd input found by the property tests', () => {
    const env = { QUEUEWATCH_CONFIG: '/etc/qw.json' };

    it('should refuse a file nested too deep to walk, instead of overflowing the stack', async () => {
      const depth = 10_000;
      const options = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
      const message = await configError(env, {
        '/etc/qw.json': `{"alerts":{"destinations":[{"type":"log","options":${options}}]}}`,
      });
      expect(message).to.match(
        /^\/etc\/qw\.json: alerts\.destinations\[0\]\.options(\.a)+ is nested more than 64 levels deep$/,
      );
    });

    it('should not take `${constructor}` or `${toString}` from what every object has', async () => {
      for (const name of ['constructor', 'toString', '__proto__']) {
        expect(
          await configError(env, {
            '/etc/qw.json': `{"alerts":{"destinations":[{"type":"log","url":"\${${name}}"}]}}`,
          }),
        ).to.equal(
          `/etc/qw.json: alerts.destinations[0].url refers to \${${name}}, but ${name} is not set`,
        );
      }
    });

    it('should quote a key that would read as a path of its own', async () => {
      expect(
        await configError(env, {
          '/etc/qw.json': '{"alerts":{"destinations":[{"type":"log","a.b":["${A}"]}]}}',
        }),
      ).to.equal('/etc/qw.json: alerts.destinations[0]["a.b"][0] refers to ${A}, but A is not set');
    });

    it('should keep every message on one line, escaping what it quotes', async () => {
      expect(await configError({ LOG_LEVEL: '\u2028' })).to.match(
        /^invalid environment: LOG_LEVEL="\\u2028": /,
      );
      expect(await configError({ HOST: 'a\nb' })).to.match(
        /^HOST=a\\nb makes Queuewatch reachable/,
      );
      const notJson = await configError(env, { '/etc/qw.json': '{\n  "queues": [\n    x\n  ]\n}' });
      expect(notJson).to.match(/^QUEUEWATCH_CONFIG: \/etc\/qw\.json is not valid JSON: .*\\n/);
      for (const message of [
        notJson,
        await configError(env, { '/etc/qw.json': '{"health":{"x\\ny":1}}' }),
      ]) {
        expect(message).to.not.match(/[\n\r\u2028\u2029]/);
      }
    });
  });

  describe('having TLS settings for Redis', () => {
    const pem = (name: string): string =>
      `-----BEGIN CERTIFICATE-----\n${name}\n-----END CERTIFICATE-----\n`;
    const table = { '/ca.pem': pem('ca'), '/client.pem': pem('client'), '/key.pem': pem('key') };

    it('should read the PEM files for a rediss:// URL', async () => {
      const config = await loadConfig(
        {
          REDIS_URL: 'rediss://user:secret@redis.internal:6380',
          REDIS_TLS_CA_FILE: '/ca.pem',
          REDIS_TLS_CERT_FILE: '/client.pem',
          REDIS_TLS_KEY_FILE: '/key.pem',
          REDIS_TLS_SERVERNAME: 'redis.example.com',
        },
        files(table),
      );
      expect(config.redisTls).to.deep.equal({
        ca: pem('ca'),
        cert: pem('client'),
        key: pem('key'),
        servername: 'redis.example.com',
      });
    });

    it('should leave TLS to the URL when no file is named', async () => {
      expect((await loadConfig({ REDIS_URL: 'rediss://redis.internal:6380' })).redisTls).to.equal(
        null,
      );
    });

    it('should refuse, naming the setting, what cannot work', async () => {
      expect(
        await configError({ REDIS_URL: 'redis://redis:6379', REDIS_TLS_CA_FILE: '/ca.pem' }, table),
      ).to.equal(
        'REDIS_TLS_CA_FILE: set for a REDIS_URL that is not rediss:// (TLS needs rediss://host:port)',
      );
      expect(
        await configError(
          { REDIS_URL: 'rediss://redis:6380', REDIS_TLS_KEY_FILE: '/key.pem' },
          table,
        ),
      ).to.match(/^REDIS_TLS_CERT_FILE and REDIS_TLS_KEY_FILE: a client certificate needs its key/);
      expect(
        await configError(
          { REDIS_URL: 'rediss://redis:6380', REDIS_TLS_CA_FILE: '/none.pem' },
          table,
        ),
      ).to.match(/^REDIS_TLS_CA_FILE: cannot read \/none\.pem \(.*ENOENT/);
      expect(
        await configError(
          { REDIS_URL: 'rediss://redis:6380', REDIS_TLS_CA_FILE: '/ca.txt' },
          { '/ca.txt': 'not a certificate' },
        ),
      ).to.equal('REDIS_TLS_CA_FILE: /ca.txt is not a PEM file (no -----BEGIN line)');
    });
  });

  describe('having Sentinels', () => {
    it('should find the master through them, by name, with their password', async () => {
      const config = await loadConfig({
        REDIS_URL: 'redis://user:secret@master/2',
        REDIS_SENTINELS: '10.0.0.5:26379, sentinel-b:26380,[::1]:26381',
        REDIS_SENTINEL_NAME: 'jobs',
        REDIS_SENTINEL_PASSWORD: 'sentinel-secret',
      });
      expect(config.redisSentinels).to.deep.equal({
        nodes: [
          { host: '10.0.0.5', port: 26379 },
          { host: 'sentinel-b', port: 26380 },
          { host: '::1', port: 26381 },
        ],
        name: 'jobs',
        password: 'sentinel-secret',
        tls: false,
      });
      expect((await loadConfig({})).redisSentinels).to.equal(null);
      const overTls = await loadConfig({
        REDIS_URL: 'rediss://master:6380',
        REDIS_SENTINELS: '10.0.0.5:26379',
        REDIS_SENTINEL_NAME: 'jobs',
        REDIS_SENTINEL_TLS: 'true',
      });
      expect(overTls.redisSentinels?.tls).to.equal(true);
    });

    it('should refuse, naming the settings, Sentinels that cannot be used', async () => {
      expect(await configError({ REDIS_SENTINELS: '10.0.0.5:26379' })).to.match(
        /^REDIS_SENTINELS and REDIS_SENTINEL_NAME: a master behind Sentinels needs both/,
      );
      expect(await configError({ REDIS_SENTINEL_NAME: 'jobs' })).to.match(
        /^REDIS_SENTINELS and REDIS_SENTINEL_NAME/,
      );
      expect(await configError({ REDIS_SENTINEL_PASSWORD: 'x' })).to.equal(
        'REDIS_SENTINEL_PASSWORD: set without REDIS_SENTINELS',
      );
      expect(await configError({ REDIS_SENTINEL_TLS: 'true' })).to.equal(
        'REDIS_SENTINEL_TLS: set without REDIS_SENTINELS',
      );
      expect(
        await configError({
          REDIS_SENTINELS: '10.0.0.5:26379',
          REDIS_SENTINEL_NAME: 'jobs',
          REDIS_SENTINEL_TLS: 'true',
        }),
      ).to.equal(
        'REDIS_SENTINEL_TLS: set for a REDIS_URL that is not rediss:// (TLS needs rediss://host:port)',
      );
      for (const nodes of ['10.0.0.5', '10.0.0.5:0', 'host:99999', ',', 'a b:1']) {
        expect(
          await configError({ REDIS_SENTINELS: nodes, REDIS_SENTINEL_NAME: 'jobs' }),
          nodes,
        ).to.match(/REDIS_SENTINELS.*expected Sentinels as host:port,host:port/);
      }
    });
  });

  describe('on a Redis Cluster', () => {
    it('should take the seed nodes, and give its own keys the hash tag of the prefix', async () => {
      const config = await loadConfig({
        REDIS_CLUSTER_NODES: '10.0.0.5:7000, node-b:7001,[::1]:7002',
        QUEUEWATCH_PREFIX: 'app:{jobs}',
      });
      expect(config.redisCluster).to.deep.equal([
        { host: '10.0.0.5', port: 7000 },
        { host: 'node-b', port: 7001 },
        { host: '::1', port: 7002 },
      ]);
      expect(config.keyRoot).to.equal('queuewatch:{jobs}');
      const single = await loadConfig({ QUEUEWATCH_PREFIX: '{bull}' });
      expect([single.redisCluster, single.keyRoot]).to.deep.equal([null, 'queuewatch']);
    });

    it('should refuse, naming the setting, a prefix without a hash tag, Sentinels too, or nodes that are no host:port', async () => {
      for (const prefix of ['bull', 'b{}ull', '{bull', 'bull}']) {
        expect(
          await configError({ REDIS_CLUSTER_NODES: '10.0.0.5:7000', QUEUEWATCH_PREFIX: prefix }),
          prefix,
        ).to.equal(
          `QUEUEWATCH_PREFIX: ${JSON.stringify(prefix)} has no hash tag; on a Redis Cluster the queues' prefix needs one, like {bull} (the workers' prefix too)`,
        );
      }
      expect(
        await configError({
          REDIS_CLUSTER_NODES: '10.0.0.5:7000',
          QUEUEWATCH_PREFIX: '{bull}',
          REDIS_SENTINELS: '10.0.0.5:26379',
          REDIS_SENTINEL_NAME: 'jobs',
        }),
      ).to.match(/^REDIS_CLUSTER_NODES and REDIS_SENTINELS: set one or the other/);
      expect(
        await configError({
          REDIS_CLUSTER_NODES: '10.0.0.5:7000',
          QUEUEWATCH_PREFIX: '{bull}',
          REDIS_URL: 'redis://user:pw@cluster/2',
        }),
      ).to.equal(
        'REDIS_URL: a Redis Cluster has database 0 only; leave the database out of the URL',
      );
      for (const nodes of ['10.0.0.5', 'host:0', ',']) {
        expect(
          await configError({ REDIS_CLUSTER_NODES: nodes, QUEUEWATCH_PREFIX: '{bull}' }),
          nodes,
        ).to.match(/REDIS_CLUSTER_NODES.*expected cluster nodes as host:port,host:port/);
      }
    });
  });
});
