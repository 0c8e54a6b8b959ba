import { z } from 'zod';
import type { RedisTls } from '../../adapters/redis/redis-endpoint.js';
import { ConfigError } from '../config/config-error.js';
import { describeIssues, dottedPath } from '../config/zod-issues.js';

/** How `createQueuewatch`'s messages name what they check. */
export const source = 'createQueuewatch options';

const connectionExample = `"redis://host:6379" or { url: "redis://host:6379" }`;

const pemText = z.string().refine((text) => text.includes('-----BEGIN '), 'expected PEM text');
const tlsShape = z.strictObject({
  ca: pemText.optional(),
  cert: pemText.optional(),
  key: pemText.optional(),
  servername: z.string().min(1).optional(),
});

const sentinelsShape = z.strictObject({
  nodes: z.array(z.string()).min(1, 'expected at least one Sentinel as "host:port"'),
  name: z.string(),
  password: z.string().optional(),
  tls: z.boolean().optional(),
});

const clusterShape = z.strictObject({
  nodes: z.array(z.string()).min(1, 'expected at least one node as "host:port"'),
});

/**
 * What `connection` says: the URL, its TLS, and the Sentinels or cluster nodes as the variables
 * they mirror.
 */
export interface EmbeddedConnection {
  readonly url: string;
  readonly tls: RedisTls | null;
  /** REDIS_SENTINELS and its kin, or REDIS_CLUSTER_NODES, checked as those are. */
  readonly redisSettings: {
    readonly REDIS_SENTINELS?: string;
    readonly REDIS_SENTINEL_NAME?: string;
    readonly REDIS_SENTINEL_PASSWORD?: string;
    readonly REDIS_SENTINEL_TLS?: string;
    readonly REDIS_CLUSTER_NODES?: string;
  };
}

/**
 * The Redis URL, TLS and Sentinels of `connection`; anything else is a ConfigError saying what
 * to pass.
 */
export function connectionOf(connection: unknown): EmbeddedConnection {
  const record =
    typeof connection === 'object' && connection !== null && !Array.isArray(connection)
      ? (connection as Record<string, unknown>)
      : null;
  if (
    record === null ||
    (record.tls === undefined && record.sentinels === undefined && record.cluster === undefined)
  ) {
    return { url: connectionUrl(connection), tls: null, redisSettings: {} };
  }
  const { tls, sentinels, cluster, ...rest } = record;
  const url = connectionUrl(rest);
  return {
    url,
    tls: tls === undefined ? null : tlsOf(tls, url),
    redisSettings: {
      ...(sentinels === undefined ? {} : sentinelSettingsOf(sentinels)),
      ...(cluster === undefined ? {} : clusterSettingsOf(cluster)),
    },
  };
}

/** `{ nodes }` as REDIS_CLUSTER_NODES; the nodes are checked as that variable's are. */
function clusterSettingsOf(given: unknown): EmbeddedConnection['redisSettings'] {
  const parsed = clusterShape.safeParse(given);
  if (!parsed.success) {
    throw refusal(
      'connection.cluster',
      describeIssues(parsed.error, (path) =>
        path.length === 0 ? 'expected { nodes: ["host:port"] }' : dottedPath(path),
      ),
    );
  }
  return { REDIS_CLUSTER_NODES: parsed.data.nodes.join(',') };
}

function refusal(option: string, problem: string): ConfigError {
  return new ConfigError(`invalid ${source}: ${option}: ${problem}`);
}

function tlsOf(given: unknown, url: string): RedisTls {
  const parsed = tlsShape.safeParse(given);
  if (!parsed.success) {
    throw refusal(
      'connection.tls',
      describeIssues(parsed.error, (path) => (path.length === 0 ? 'tls' : dottedPath(path))),
    );
  }
  const tls = parsed.data;
  if (!url.startsWith('rediss://')) {
    throw refusal('connection.tls', 'given for a url that is not rediss://');
  }
  if ((tls.cert === undefined) !== (tls.key === undefined)) {
    throw refusal(
      'connection.tls',
      'a client certificate needs its key: give cert and key, or neither',
    );
  }
  return {
    ca: tls.ca ?? null,
    cert: tls.cert ?? null,
    key: tls.key ?? null,
    servername: tls.servername ?? null,
  };
}

/** `{ nodes, name, password? }` as the variables; their values are checked with those. */
function sentinelSettingsOf(given: unknown): EmbeddedConnection['redisSettings'] {
  const parsed = sentinelsShape.safeParse(given);
  if (!parsed.success) {
    throw refusal(
      'connection.sentinels',
      describeIssues(parsed.error, (path) =>
        path.length === 0
          ? 'expected { nodes: ["host:port"], name, password?, tls? }'
          : dottedPath(path),
      ),
    );
  }
  const { nodes, name, password, tls } = parsed.data;
  return {
    REDIS_SENTINELS: nodes.join(','),
    REDIS_SENTINEL_NAME: name,
    ...(password === undefined ? {} : { REDIS_SENTINEL_PASSWORD: password }),
    ...(tls === undefined ? {} : { REDIS_SENTINEL_TLS: String(tls) }),
  };
}

/** The Redis URL of `connection`; anything else is a ConfigError saying what to pass. */
function connectionUrl(connection: unknown): string {
  const refuse = (problem: string): never => {
    throw new ConfigError(`invalid ${source}: connection: ${problem}`);
  };
  if (connection === undefined) {
    return refuse(`required: the Redis that holds your queues, as ${connectionExample}`);
  }
  if (typeof connection === 'string') {
    return connection === '' ? refuse(`expected ${connectionExample}, not ""`) : connection;
  }
  if (typeof connection !== 'object' || connection === null || Array.isArray(connection)) {
    return refuse(`expected ${connectionExample}, not ${kindOf(connection)}`);
  }
  const record = connection as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && typeof record.url === 'string' && record.url !== '') return record.url;
  // Queuewatch opens connections of its own (blocking reads, pub/sub): a client cannot be shared.
  const opensItsOwn =
    'Queuewatch opens its own connections, so it takes a URL rather than a client or its options';
  if (typeof record.sendCommand === 'function') {
    return refuse(`expected ${connectionExample}, not a Redis client: ${opensItsOwn}`);
  }
  const extra = keys.filter((key) => key !== 'url');
  if (extra.length > 0) {
    return refuse(
      `expected { url } (and tls, sentinels) alone, not ${extra.map((key) => JSON.stringify(key)).join(', ')}: ${opensItsOwn}`,
    );
  }
  return refuse(`url: expected a non-empty string like "redis://host:6379"`);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
