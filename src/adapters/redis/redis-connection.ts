import { Redis } from 'ioredis';
import type { ConnectionStatus } from '../../domain/queue-health/index.js';
import type { Logger } from '../../application/ports/logger.port.js';
import { sentinelOptionsOf, tlsOptionsOf, type RedisEndpoint } from './redis-endpoint.js';

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
export function openRedisConnection(options: RedisConnectionOptions, logger: Logger): Redis {
  const tls = tlsOptionsOf(options.endpoint);
  const common = {
    ...(tls === undefined ? {} : { tls }),
    ...sentinelOptionsOf(options.endpoint),
    connectionName: options.name,
    retryStrategy: (attempt: number) => Math.min(attempt * 200, 2_000),
  };
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
  const connection = new Redis(options.endpoint.url, { ...common, ...byRole[options.role] });
  watchConnection(connection, logger, options.name);
  return connection;
}

/** Log a connection's outages and recoveries once each, not once per failed attempt. */
export function watchConnection(connection: Redis, logger: Logger, name: string): void {
  let down = false;
  let lastError = '';
  connection.on('error', (error: Error) => {
    lastError = error.message;
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
export function connectionStatusOf(connection: Redis): ConnectionStatus {
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
      return 'disconnected';
  }
}
