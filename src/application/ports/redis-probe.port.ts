import type { ConnectionStatus, RedisSnapshot } from '../../domain/queue-health/index.js';

/** Measures the Redis that holds the queues. */
export interface RedisProbe {
  /** Round trip, memory, clients and uptime; never throws, an unreachable Redis is a value. */
  probe(): Promise<RedisSnapshot>;
  /** A bare PING: is Redis answering right now? Never throws. */
  ping(): Promise<{ readonly ok: boolean; readonly connectionStatus: ConnectionStatus }>;
}
