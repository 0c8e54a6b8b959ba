import { z } from 'zod';

const queueName = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[^:\s]+$/, 'a queue name has no colon or white space');

const integer = (min: number, max: number) =>
  z.coerce
    .number({ error: `expected a whole number from ${String(min)} to ${String(max)}` })
    .int(`expected a whole number from ${String(min)} to ${String(max)}`)
    .min(min, `expected a whole number from ${String(min)} to ${String(max)}`)
    .max(max, `expected a whole number from ${String(min)} to ${String(max)}`);

const originExample =
  'expected origins like https://ops.example.com (scheme, host and port; no path)';

/** One allowed origin, written as the browser sends it (`https://ops.example.com:8443`). */
const origin = z
  .string()
  .refine(isOrigin, originExample)
  .transform((value) => new URL(value).origin);

const sentinelExample = 'expected Sentinels as host:port,host:port (like 10.0.0.5:26379)';
const clusterExample = 'expected cluster nodes as host:port,host:port (like 10.0.0.5:7000)';

/** A comma-separated list of `host:port`, blanks around and between entries ignored. */
function hostPortList(example: string) {
  return z
    .string()
    .transform((list) =>
      list
        .split(',')
        .map((node) => node.trim())
        .filter((node) => node !== ''),
    )
    .pipe(z.array(z.string().refine(isHostPort, example)).min(1, example));
}

/** `host:port` with a port from 1 to 65535 (an IPv6 host in brackets). */
function isHostPort(value: string): boolean {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):(\d{1,5})$/.exec(value);
  const port = Number(match?.[2]);
  return match !== null && port >= 1 && port <= 65_535;
}

/** Every environment variable Queuewatch reads, with its default (docs/configuration.md). */
export const envSchema = z.object({
  REDIS_URL: z
    .string()
    .default('redis://127.0.0.1:6379')
    .refine(isRedisUrl, 'expected a URL like redis://host:6379 or rediss://user:pass@host:6380/0'),
  /** PEM files for a `rediss://` Redis (docs/redis-setup.md). */
  REDIS_TLS_CA_FILE: z.string().min(1).optional(),
  REDIS_TLS_CERT_FILE: z.string().min(1).optional(),
  REDIS_TLS_KEY_FILE: z.string().min(1).optional(),
  REDIS_TLS_SERVERNAME: z.string().min(1).optional(),
  /** A master behind Sentinels (docs/redis-setup.md): `host:port,host:port` and its name. */
  REDIS_SENTINELS: hostPortList(sentinelExample).optional(),
  REDIS_SENTINEL_NAME: z.string().min(1).optional(),
  REDIS_SENTINEL_PASSWORD: z.string().min(1).optional(),
  /** The Sentinels serve TLS too (with REDIS_TLS_CA_FILE and the client certificate). */
  REDIS_SENTINEL_TLS: z
    .enum(['true', 'false'], { error: 'expected true or false' })
    .default('false')
    .transform((value) => value === 'true'),
  /** Nodes of a Redis Cluster to start from (docs/redis-setup.md): `host:port,host:port`. */
  REDIS_CLUSTER_NODES: hostPortList(clusterExample).optional(),
  PORT: integer(0, 65_535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  QUEUEWATCH_PREFIX: z
    .string()
    .regex(/^[^\s*?[\]]+$/, 'a prefix has no white space or glob characters')
    .default('bull'),
  QUEUEWATCH_QUEUES: z
    .string()
    .transform((list) =>
      list
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name !== ''),
    )
    .pipe(z.array(queueName).min(1, 'name at least one queue, or leave it unset to discover them'))
    .optional(),
  QUEUEWATCH_DISCOVERY_INTERVAL_MS: integer(0, 86_400_000).default(30_000),
  QUEUEWATCH_CONFIG: z.string().min(1).optional(),
  QUEUEWATCH_API_TOKEN: z
    .string()
    .min(16, 'use a token of at least 16 characters (e.g. `openssl rand -hex 32`)')
    .optional(),
  QUEUEWATCH_ALLOW_ANONYMOUS: z
    .enum(['true', 'false'], { error: 'expected true or false' })
    .default('false')
    .transform((value) => value === 'true'),
  QUEUEWATCH_READ_ONLY: z
    .enum(['true', 'false'], { error: 'expected true or false' })
    .default('false')
    .transform((value) => value === 'true'),
  QUEUEWATCH_AUDIT_MAX_ENTRIES: integer(100, 10_000_000).default(10_000),
  QUEUEWATCH_ALLOWED_ORIGINS: z
    .string()
    .transform((list) =>
      list
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry !== ''),
    )
    .pipe(z.array(origin).min(1, originExample))
    .optional(),
  QUEUEWATCH_RATE_LIMIT_WINDOW_MS: integer(1_000, 86_400_000).default(60_000),
  QUEUEWATCH_RATE_LIMIT_TEST_ALERTS: integer(0, 1_000_000).default(10),
  QUEUEWATCH_RATE_LIMIT_JOB_SUBMISSIONS: integer(0, 1_000_000).default(120),
  QUEUEWATCH_REDIS_TIMEOUT_MS: integer(50, 60_000).default(2_000),
  QUEUEWATCH_MAX_SUBSCRIPTIONS: integer(1, 100_000).default(1_000),
  QUEUEWATCH_HEALTH_CACHE_MS: integer(0, 60_000).default(1_000),
  QUEUEWATCH_HEALTH_QUIET_REFRESH_MS: integer(0, 3_600_000).default(10_000),
  QUEUEWATCH_HEALTH_KEEP_FRESH_MS: integer(0, 3_600_000).default(10_000),
  QUEUEWATCH_WEB_ROOT: z.string().min(1).optional(),
  QUEUEWATCH_INSTANCE_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'use 1-64 letters, digits, dots, dashes or underscores')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** The environment, parsed. */
export type EnvConfig = z.infer<typeof envSchema>;

function isRedisUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** `scheme://host[:port]` of http or https, nothing else (a trailing `/` is tolerated). */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      url.username === '' &&
      url.password === '' &&
      url.pathname === '/' &&
      url.search === '' &&
      url.hash === '' &&
      /^[a-z]+:\/\/[^/?#@]+\/?$/i.test(value)
    );
  } catch {
    return false;
  }
}

export { queueName };
