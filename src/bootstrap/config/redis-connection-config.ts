import { hashTagOf } from '../../adapters/redis/cluster-keys.js';
import type {
  HostPort,
  RedisEndpoint,
  RedisSentinels,
  RedisTls,
} from '../../adapters/redis/redis-endpoint.js';
import { ConfigError } from './config-error.js';
import type { ReadText } from './config-sources.js';
import type { EnvConfig } from './env-schema.js';

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
  readonly redisCluster: readonly HostPort[] | null;
}): RedisEndpoint {
  return {
    url: config.redisUrl,
    tls: config.redisTls,
    sentinels: config.redisSentinels,
    cluster: config.redisCluster,
  };
}

/**
 * The nodes a cluster client starts from, or `null` for a single Redis. A cluster needs the queues'
 * prefix to carry a hash tag (`{bull}`): BullMQ's scripts touch several keys of a queue at once,
 * which a cluster refuses unless they share a slot, and Queuewatch reads every queue's events in
 * one call.
 */
export function readRedisCluster(env: EnvConfig): HostPort[] | null {
  const nodes = env.REDIS_CLUSTER_NODES;
  if (nodes === undefined) return null;
  if (env.REDIS_SENTINELS !== undefined) {
    throw new ConfigError(
      'REDIS_CLUSTER_NODES and REDIS_SENTINELS: set one or the other (a cluster elects its own masters)',
    );
  }
  if (!['', '/', '/0'].includes(new URL(env.REDIS_URL).pathname)) {
    throw new ConfigError(
      'REDIS_URL: a Redis Cluster has database 0 only; leave the database out of the URL',
    );
  }
  if (hashTagOf(env.QUEUEWATCH_PREFIX) === null) {
    throw new ConfigError(
      `QUEUEWATCH_PREFIX: ${JSON.stringify(env.QUEUEWATCH_PREFIX)} has no hash tag; on a Redis Cluster the queues' prefix needs one, like {bull} (the workers' prefix too)`,
    );
  }
  return nodes.map(hostPortOf);
}

/** `host:port` (an IPv6 host in brackets) as its parts. */
function hostPortOf(node: string): HostPort {
  const at = node.lastIndexOf(':');
  return { host: node.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(node.slice(at + 1)) };
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
    nodes: nodes.map(hostPortOf),
    name,
    password: env.REDIS_SENTINEL_PASSWORD ?? null,
    tls: env.REDIS_SENTINEL_TLS,
  };
}
