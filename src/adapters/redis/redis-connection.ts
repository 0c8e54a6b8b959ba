import { Cluster, Redis } from 'ioredis';
import type { ConnectionStatus } from '../../domain/queue-health/index.js';
import type { Logger } from '../../application/ports/logger.port.js';
import {
  bullmqConnectionOf,
  sentinelOptionsOf,
  tlsOptionsOf,
  type HostPort,
  type RedisEndpoint,
} from './redis-endpoint.js';

/**
 * A connection to one Redis (maybe found through Sentinels) or to a Redis Cluster. Commands on
 * keys go where the key lives either way; a command that names no key (SCAN, INFO, CLIENT LIST)
 * is sent to the servers `mastersOf` or `serverOf` give.
 */
export type RedisClient = Redis | Cluster;

/** What a connection is for; each role has the settings it needs. */
export type ConnectionRole = 'commands' | 'blocking' | 'subscriber';

/** How Queuewatch talks to Redis. */
export interface RedisConnectionOptions {
  readonly endpoint: RedisEndpoint;
  /** Name shown in Redis's CLIENT LIST. */
  readonly name: string;
  readonly role: ConnectionRole;
  /** A short command that gets no answer in this time fails (ms); `commands` only. */
  readonly commandTimeoutMs: number;
}

/**
 * Open a connection. Every role reconnects by itself, at most every two seconds.
 * - `commands`: short commands fail at once while Redis is away (no offline queue) and time out,
 *   so a health check reports an outage instead of hanging.
 * - `blocking`: for XREAD BLOCK; no timeout, and a read cut by a disconnect fails rather than
 *   being resent, so the reader can check for lost events before it reads again.
 * - `subscriber`: pub/sub; ioredis subscribes again after a reconnect.
 */
export function openRedisConnection(options: RedisConnectionOptions, logger: Logger): RedisClient {
  const byRole = roleOptions(options);
  const { cluster } = options.endpoint;
  const connection =
    cluster === null
      ? new Redis(options.endpoint.url, {
          ...tlsOf(options.endpoint),
          connectionName: options.name,
          ...sentinelOptionsOf(options.endpoint),
          retryStrategy,
          ...byRole,
        })
      : openCluster(cluster, options.endpoint, options.name, byRole);
  watchConnection(connection, logger, options.name);
  return connection;
}

/**
 * A cluster client: it learns every node from the ones it is given, sends each command to the master of its
 * key's slot, and follows MOVED answers, failovers and resharding by asking the cluster for its
 * slots again (at once on a MOVED, and every 5 s).
 */
function openCluster(
  nodes: readonly HostPort[],
  endpoint: RedisEndpoint,
  name: string,
  byRole: {
    enableOfflineQueue?: boolean;
    commandTimeout?: number;
    maxRetriesPerRequest?: number | null;
    autoResendUnfulfilledCommands?: boolean;
  },
): Cluster {
  const { enableOfflineQueue, ...perNode } = byRole;
  return new Cluster(
    nodes.map(({ host, port }) => ({ host, port })),
    {
      redisOptions: { ...nodeOptions(endpoint, name), ...perNode },
      clusterRetryStrategy: retryStrategy,
      ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
      slotsRefreshInterval: 5_000,
    },
  );
}

/**
 * The blocking connection of Queuewatch's alert worker, which waits for jobs: the options it is
 * opened with, or on a cluster a cluster client of its own (BullMQ opens plain connections from
 * options), closed with the worker.
 */
export function bullmqWorkerConnection(
  endpoint: RedisEndpoint,
): ReturnType<typeof bullmqConnectionOf> | Cluster {
  if (endpoint.cluster === null) return bullmqConnectionOf(endpoint);
  // A worker blocks waiting for jobs: no command of its may time out or be given up.
  return openCluster(endpoint.cluster, endpoint, 'queuewatch:alert-worker', {
    maxRetriesPerRequest: null,
  });
}

function tlsOf(endpoint: RedisEndpoint) {
  const tls = tlsOptionsOf(endpoint);
  return tls === undefined ? {} : { tls };
}

/**
 * What a cluster's connection to each node takes from the endpoint's URL (its host and port are
 * not used): user, password, and TLS for `rediss://`.
 */
function nodeOptions(endpoint: RedisEndpoint, name: string) {
  const url = new URL(endpoint.url);
  const tls = tlsOptionsOf(endpoint) ?? (url.protocol === 'rediss:' ? {} : undefined);
  return {
    ...(tls === undefined ? {} : { tls }),
    ...(url.username === '' ? {} : { username: decodeURIComponent(url.username) }),
    ...(url.password === '' ? {} : { password: decodeURIComponent(url.password) }),
    connectionName: name,
  };
}

function retryStrategy(attempt: number): number {
  return Math.min(attempt * 200, 2_000);
}

function roleOptions(options: RedisConnectionOptions) {
  const byRole = {
    // maxRetriesPerRequest 0: a command in flight when the connection drops is rejected at once.
    // (With null and no resend, ioredis would drop it silently and its promise never settle.)
    commands: {
      enableOfflineQueue: false,
      commandTimeout: options.commandTimeoutMs,
      maxRetriesPerRequest: 0,
    },
    blocking: {
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
      maxRetriesPerRequest: 0,
    },
    subscriber: { maxRetriesPerRequest: null },
  } as const;
  return byRole[options.role];
}

/**
 * Hand `onReason` each error a connection reports, as a reason an operator can act on. A cluster
 * client that reached no node says only "Failed to refresh slots cache.": the last error of a
 * node itself (a certificate not trusted, a refused connection, a wrong password) is added.
 */
export function onConnectionError(
  connection: RedisClient,
  onReason: (reason: string) => void,
): void {
  let lastNodeError: string | undefined;
  connection.on('node error', (error: Error, address: string) => {
    lastNodeError = `${error.message} (${address})`;
  });
  // An error of an earlier outage says nothing of the next one.
  connection.on('ready', () => {
    lastNodeError = undefined;
  });
  connection.on('error', (error: Error) => {
    onReason(
      error.name === 'ClusterAllFailedError' && lastNodeError !== undefined
        ? `${error.message} Last node error: ${lastNodeError}`
        : error.message,
    );
  });
}

/** Log a connection's outages and recoveries once each, not once per failed attempt. */
export function watchConnection(connection: RedisClient, logger: Logger, name: string): void {
  let down = false;
  let lastError = '';
  onConnectionError(connection, (reason) => {
    lastError = reason;
  });
  // 'reconnecting' rather than 'close': a deliberate disconnect at shutdown is not an outage.
  connection.on('reconnecting', () => {
    if (down) return;
    down = true;
    logger.warn('Redis connection lost; reconnecting', { connection: name, reason: lastError });
  });
  connection.on('ready', () => {
    if (!down) return;
    down = false;
    logger.info('Redis connection restored', { connection: name });
  });
}

/** The state of an ioredis connection, in the words of the health report. */
export function connectionStatusOf(connection: RedisClient): ConnectionStatus {
  switch (connection.status) {
    case 'ready':
      return 'connected';
    case 'wait':
    case 'connecting':
    case 'connect':
      return 'connecting';
    case 'reconnecting':
      return 'reconnecting';
    case 'close':
    case 'end':
    case 'disconnecting':
      return 'disconnected';
  }
}
