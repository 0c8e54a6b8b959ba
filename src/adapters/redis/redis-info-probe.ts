import type { Redis } from 'ioredis';
import type { RedisProbe } from '../../application/ports/redis-probe.port.js';
import type { ConnectionStatus, RedisSnapshot } from '../../domain/queue-health/index.js';
import { connectionStatusOf, onConnectionError, type RedisClient } from './redis-connection.js';
import { reasonOf } from '../../domain/wording/reason.js';

/**
 * Measures Redis with one PING (timed) and one INFO. Without a connection, the reason is the last
 * error of the attempts to connect (refused, a certificate not trusted, a wrong password). On a
 * cluster, the server measured is the master that holds the queues (the slot of their hash tag).
 */
export class RedisInfoProbe implements RedisProbe {
  private lastError: string | null = null;

  constructor(
    private readonly connection: RedisClient,
    /** The server measured: the one Redis, or on a cluster the master of the queues' slot. */
    private readonly server: () => Redis,
    private readonly monotonicMs: () => number = () => performance.now(),
  ) {
    onConnectionError(connection, (reason) => {
      this.lastError = reason;
    });
    connection.on('ready', () => {
      this.lastError = null;
    });
  }

  async probe(): Promise<RedisSnapshot> {
    const status = connectionStatusOf(this.connection);
    if (status !== 'connected') {
      const reason =
        this.lastError === null
          ? 'no connection to Redis'
          : `no connection to Redis: ${this.lastError}`;
      return { reachable: false, connectionStatus: status, reason };
    }
    try {
      const server = this.server();
      const started = this.monotonicMs();
      await server.ping();
      const responseTimeMs = Math.round((this.monotonicMs() - started) * 100) / 100;
      const info = parseInfo(await server.info('server', 'clients', 'memory'));
      return {
        reachable: true,
        connectionStatus: 'connected',
        responseTimeMs,
        usedMemoryBytes: numberField(info, 'used_memory'),
        peakMemoryBytes: numberField(info, 'used_memory_peak'),
        maxMemoryBytes: numberField(info, 'maxmemory'),
        connectedClients: numberField(info, 'connected_clients'),
        uptimeSeconds: numberField(info, 'uptime_in_seconds'),
        ...runIdOf(info),
      };
    } catch (error) {
      return {
        reachable: false,
        connectionStatus: this.statusAfterFailure(),
        reason: reasonOf(error),
      };
    }
  }

  async ping(): Promise<{ ok: boolean; connectionStatus: ConnectionStatus }> {
    try {
      await this.server().ping();
      return { ok: true, connectionStatus: 'connected' };
    } catch {
      return { ok: false, connectionStatus: this.statusAfterFailure() };
    }
  }

  /** A command can fail on a connection that still says `ready`: Redis stopped answering. */
  private statusAfterFailure(): ConnectionStatus {
    const status = connectionStatusOf(this.connection);
    return status === 'connected' ? 'unresponsive' : status;
  }
}

/** INFO's `key:value` lines as a map; section headers and blanks are skipped. */
export function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return fields;
}

function numberField(info: Map<string, string>, key: string): number {
  const value = Number(info.get(key));
  return Number.isFinite(value) ? value : 0;
}

/** INFO server's `run_id`, when it says one. */
function runIdOf(info: ReadonlyMap<string, string>): { runId?: string } {
  const runId = info.get('run_id');
  return runId === undefined || runId === '' ? {} : { runId };
}
