import type { ConnectionOptions } from 'node:tls';

/**
 * What a TLS connection to Redis trusts and presents, as PEM texts: the certificate authority
 * that signed the server's certificate (left out: the system's), and a client certificate with
 * its key when Redis asks for one (`tls-auth-clients`).
 */
export interface RedisTls {
  readonly ca: string | null;
  readonly cert: string | null;
  readonly key: string | null;
  /** The name the server's certificate must carry, when it is not the URL's host. */
  readonly servername: string | null;
}

/** The Sentinels that say which server is the master, and the master's name among them. */
export interface RedisSentinels {
  readonly nodes: readonly HostPort[];
  readonly name: string;
  /** The Sentinels' own password (`requirepass` of the Sentinels), if any. */
  readonly password: string | null;
  /** The Sentinels serve TLS, trusted and presented with the endpoint's TLS settings. */
  readonly tls: boolean;
}

/** A server's address. */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/**
 * Where Redis is (a `redis://` or `rediss://` URL, user and password in it) and its TLS. With
 * Sentinels, the URL's host and port are not used: the Sentinels name the master, and every
 * connection follows a failover to the new one. With cluster nodes, the URL's host and port are
 * not used either: the nodes are where a cluster client starts, learning the whole cluster from them, and
 * the URL's user, password and scheme apply to every node.
 */
export interface RedisEndpoint {
  readonly url: string;
  /** `null`: what the URL says (`rediss://` is TLS trusting the system's authorities). */
  readonly tls: RedisTls | null;
  readonly sentinels: RedisSentinels | null;
  /** Nodes of a Redis Cluster to start from; `null` for a single Redis (or one behind Sentinels). */
  readonly cluster: readonly HostPort[] | null;
}

/**
 * ioredis's options that find the master through the Sentinels; `{}` without them. Behind
 * Sentinels, ioredis connects to the master in plain text unless told otherwise: a `rediss://`
 * URL turns TLS on for the master, and `tls` on the Sentinels for them, with the same settings.
 */
export function sentinelOptionsOf(endpoint: RedisEndpoint): {
  sentinels?: { host: string; port: number }[];
  name?: string;
  sentinelPassword?: string;
  enableTLSForSentinelMode?: boolean;
  tls?: ConnectionOptions;
  sentinelTLS?: ConnectionOptions;
} {
  const { sentinels } = endpoint;
  if (sentinels === null) return {};
  const tls = tlsOptionsOf(endpoint) ?? {};
  return {
    sentinels: sentinels.nodes.map(({ host, port }) => ({ host, port })),
    name: sentinels.name,
    ...(sentinels.password === null ? {} : { sentinelPassword: sentinels.password }),
    ...(endpoint.url.startsWith('rediss://') ? { enableTLSForSentinelMode: true, tls } : {}),
    ...(sentinels.tls ? { sentinelTLS: tls } : {}),
  };
}

/** ioredis's `tls` option for an endpoint; `undefined` leaves it to the URL. */
export function tlsOptionsOf(endpoint: RedisEndpoint): ConnectionOptions | undefined {
  const { tls } = endpoint;
  if (tls === null) return undefined;
  return {
    ...(tls.ca === null ? {} : { ca: tls.ca }),
    ...(tls.cert === null ? {} : { cert: tls.cert }),
    ...(tls.key === null ? {} : { key: tls.key }),
    ...(tls.servername === null ? {} : { servername: tls.servername }),
  };
}

/** The `connection` option of a BullMQ queue or worker that opens connections of its own. */
export function bullmqConnectionOf(endpoint: RedisEndpoint): {
  url: string;
  tls?: ConnectionOptions;
} & ReturnType<typeof sentinelOptionsOf> {
  const tls = tlsOptionsOf(endpoint);
  return {
    url: endpoint.url,
    ...(tls === undefined ? {} : { tls }),
    ...sentinelOptionsOf(endpoint),
  };
}
