import type {
  RedisEndpoint,
  RedisSentinels,
  RedisTls,
} from '../../adapters/redis/redis-endpoint.js';
import { ConfigError } from './config-error.js';
import type { EnvConfig } from './env-schema.js';

type ReadText = (path: string) => Promise<string>;

/** The settings that point at PEM files, in the order they are checked. */
const pemSettings = ['REDIS_TLS_CA_FILE', 'REDIS_TLS_CERT_FILE', 'REDIS_TLS_KEY_FILE'] as const;

/**
 * The TLS settings of the Redis connection, their files read: `null` when none is set (a
 * `rediss://` URL alone trusts the system's certificate authorities). Throws ConfigError, naming
 * the setting, for a setting on a `redis://` URL, a certificate without its key (or the other way
 * round), a file that cannot be read, or one that holds no PEM block.
 */
export async function readRedisTls(env: EnvConfig, readText: ReadText): Promise<RedisTls | null> {
  const given = [...pemSettings, 'REDIS_TLS_SERVERNAME' as const].filter(
    (name) => env[name] !== undefined,
  );
  if (given.length === 0) return null;
  if (new URL(env.REDIS_URL).protocol !== 'rediss:') {
    throw new ConfigError(
      `${given.join(', ')}: set for a REDIS_URL that is not rediss:// (TLS needs rediss://host:port)`,
    );
  }
  if ((env.REDIS_TLS_CERT_FILE === undefined) !== (env.REDIS_TLS_KEY_FILE === undefined)) {
    throw new ConfigError(
      'REDIS_TLS_CERT_FILE and REDIS_TLS_KEY_FILE: a client certificate needs its key; set both or neither',
    );
  }
  const pem = async (name: (typeof pemSettings)[number]): Promise<string | null> => {
    const path = env[name];
    if (path === undefined) return null;
    let text: string;
    try {
      text = await readText(path);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new ConfigError(`${name}: cannot read ${path} (${reason})`);
    }
    if (!text.includes('-----BEGIN ')) {
      throw new ConfigError(`${name}: ${path} is not a PEM file (no -----BEGIN line)`);
    }
    return text;
  };
  return {
    ca: await pem('REDIS_TLS_CA_FILE'),
    cert: await pem('REDIS_TLS_CERT_FILE'),
    key: await pem('REDIS_TLS_KEY_FILE'),
    servername: env.REDIS_TLS_SERVERNAME ?? null,
  };
}

/** Where the configured Redis is and how to reach it. */
export function redisEndpointOf(config: {
  readonly redisUrl: string;
  readonly redisTls: RedisTls | null;
  readonly redisSentinels: RedisSentinels | null;
}): RedisEndpoint {
  return { url: config.redisUrl, tls: config.redisTls, sentinels: config.redisSentinels };
}

/** The Sentinels of the environment: both REDIS_SENTINELS and REDIS_SENTINEL_NAME, or neither. */
export function readRedisSentinels(env: EnvConfig): RedisSentinels | null {
  const nodes = env.REDIS_SENTINELS;
  const name = env.REDIS_SENTINEL_NAME;
  if (nodes === undefined && name === undefined) {
    if (env.REDIS_SENTINEL_PASSWORD !== undefined) {
      throw new ConfigError('REDIS_SENTINEL_PASSWORD: set without REDIS_SENTINELS');
    }
    if (env.REDIS_SENTINEL_TLS) {
      throw new ConfigError('REDIS_SENTINEL_TLS: set without REDIS_SENTINELS');
    }
    return null;
  }
  if (nodes === undefined || name === undefined) {
    throw new ConfigError(
      'REDIS_SENTINELS and REDIS_SENTINEL_NAME: a master behind Sentinels needs both (the Sentinels, and the name they monitor it by)',
    );
  }
  if (env.REDIS_SENTINEL_TLS && new URL(env.REDIS_URL).protocol !== 'rediss:') {
    throw new ConfigError(
      'REDIS_SENTINEL_TLS: set for a REDIS_URL that is not rediss:// (TLS needs rediss://host:port)',
    );
  }
  return {
    nodes: nodes.map((node) => {
      const at = node.lastIndexOf(':');
      return { host: node.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(node.slice(at + 1)) };
    }),
    name,
    password: env.REDIS_SENTINEL_PASSWORD ?? null,
    tls: env.REDIS_SENTINEL_TLS,
  };
}
