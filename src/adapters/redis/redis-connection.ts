import { Redis } from 'ioredis';
import type { ConnectionStatus } from '../../domain/queue-health/index.js';
import type { Logger } from '../../application/ports/logger.port.js';

/** How Queuewatch talks to Redis. */
export interface RedisConnectionOptions {
  readonly url: string;
  /** Name shown in Redis's CLIENT LIST. */
  readonly name: string;
  /** A command that gets no answer in this time fails (ms). */
  readonly commandTimeoutMs: number;
}

/**
 * Open a connection for short commands. Commands fail at once while Redis is away (no offline
 * queue), so a health check reports an outage instead of hanging; the connection keeps trying to
 * come back on its own, at most every two seconds.
 */
export function openRedisConnection(options: RedisConnectionOptions, logger: Logger): Redis {
  const connection = new Redis(options.url, {
    connectionName: options.name,
    enableOfflineQueue: false,
    commandTimeout: options.commandTimeoutMs,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
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
