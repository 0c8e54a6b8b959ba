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

/** Where Redis is (a `redis://` or `rediss://` URL, user and password in it) and its TLS. */
export interface RedisEndpoint {
  readonly url: string;
  /** `null`: what the URL says (`rediss://` is TLS trusting the system's authorities). */
  readonly tls: RedisTls | null;
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
} {
  const tls = tlsOptionsOf(endpoint);
  return tls === undefined ? { url: endpoint.url } : { url: endpoint.url, tls };
}
