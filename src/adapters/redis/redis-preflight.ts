import { Redis } from 'ioredis';
import type { ConnectionOptions } from 'node:tls';
import {
  sentinelOptionsOf,
  tlsOptionsOf,
  type RedisEndpoint,
  type RedisSentinels,
} from './redis-endpoint.js';
import { reasonOf } from '../../domain/wording/reason.js';

/** Redis refused Queuewatch's user: a wrong password, or a command its ACL does not allow. */
export interface RedisRefusal {
  /** The setting to fix. */
  readonly setting: 'REDIS_URL' | 'REDIS_SENTINEL_NAME' | 'REDIS_CLUSTER_NODES';
  /** One line: what was refused and why, in Redis's words. */
  readonly message: string;
}

/** The commands Queuewatch needs that name no key (its keys are checked as they are used). */
const keylessCommands: readonly [string, (connection: Redis) => Promise<unknown>][] = [
  ['INFO', (connection) => connection.info('server')],
  ['CLIENT LIST', (connection) => connection.client('LIST')],
];

/**
 * Before anything starts, one short connection asks Redis whether Queuewatch's user may log in
 * and run the commands every part of it needs that no ACL key pattern covers. `null`: allowed, or
 * Redis did not answer within `timeoutMs` (not a refusal: it is reported unhealthy while Queuewatch
 * serves and waits for it). No retries, no ready check (it would itself need INFO).
 */
export async function redisRefusal(
  endpoint: RedisEndpoint,
  timeoutMs: number,
): Promise<RedisRefusal | null> {
  if (endpoint.sentinels !== null) {
    const unknownName = await unknownMasterName(
      endpoint.sentinels,
      tlsOptionsOf(endpoint),
      timeoutMs,
    );
    if (unknownName !== null) return unknownName;
  }
  if (endpoint.cluster === null) {
    const refusal = await serverRefusal(endpoint.url, endpoint, timeoutMs, false);
    return refusal === 'no answer' ? null : refusal;
  }
  // A cluster: the first node that answers speaks for the others (they share users and modes).
  for (const { host, port } of endpoint.cluster) {
    const url = new URL(endpoint.url);
    url.hostname = host.includes(':') ? `[${host}]` : host;
    url.port = String(port);
    const refusal = await serverRefusal(url.toString(), endpoint, timeoutMs, true);
    if (refusal !== 'no answer') return refusal;
  }
  return null;
}

/**
 * One server's refusal of Queuewatch's user; `null` when it allows everything; `'no answer'`
 * when it could not be asked. `clusterNode`: it must also be a cluster node.
 */
async function serverRefusal(
  url: string,
  endpoint: RedisEndpoint,
  timeoutMs: number,
  clusterNode: boolean,
): Promise<RedisRefusal | null | 'no answer'> {
  const tls = tlsOptionsOf(endpoint);
  const connection = new Redis(url, {
    ...(tls === undefined ? {} : { tls }),
    ...sentinelOptionsOf(endpoint),
    sentinelRetryStrategy: () => null,
    connectionName: 'queuewatch:preflight',
    ...oneTry(timeoutMs),
  });
  // A refused login (AUTH, sent by ioredis on connecting) arrives as an error event.
  const errors: string[] = [];
  connection.on('error', (error: Error) => errors.push(error.message));
  const loginRefused = (message: string): RedisRefusal | null =>
    [message, ...errors].some((text) => /^(WRONGPASS|NOAUTH)/.test(text))
      ? {
          setting: 'REDIS_URL',
          message: `Redis refused the user and password: ${errors[0] ?? message}`,
        }
      : null;
  try {
    try {
      await connection.connect();
    } catch (error) {
      return loginRefused(reasonOf(error)) ?? 'no answer';
    }
    for (const [name, run] of keylessCommands) {
      try {
        await run(connection);
      } catch (error) {
        const message = reasonOf(error);
        if (message.startsWith('NOPERM')) {
          return {
            setting: 'REDIS_URL',
            message: `Redis refused ${name} to this user: ${message}`,
          };
        }
        // Anything else (the connection dropped, a timeout) is not a refusal, unless the login was.
        return loginRefused(message);
      }
    }
    if (clusterNode) return await notClusterNode(connection, url);
    return null;
  } finally {
    connection.disconnect();
  }
}

/**
 * A refusal when the Sentinels that answer know no master by the configured name; `null` when one
 * knows it, or none answers (then the master is reported unreachable while Queuewatch serves).
 */
async function unknownMasterName(
  sentinels: RedisSentinels,
  tls: ConnectionOptions | undefined,
  timeoutMs: number,
): Promise<RedisRefusal | null> {
  let answered = 0;
  for (const node of sentinels.nodes) {
    const sentinel = new Redis({
      host: node.host,
      port: node.port,
      ...(sentinels.password === null ? {} : { password: sentinels.password }),
      // Sentinels that serve TLS are asked over TLS, trusted as the master is.
      ...(sentinels.tls ? { tls: tls ?? {} } : {}),
      ...oneTry(timeoutMs),
    });
    sentinel.on('error', () => undefined);
    try {
      await sentinel.connect();
      const address = await sentinel.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', sentinels.name);
      answered += 1;
      if (address !== null) return null;
    } catch {
      // This Sentinel does not answer: ask the next.
    } finally {
      sentinel.disconnect();
    }
  }
  return answered === 0
    ? null
    : {
        setting: 'REDIS_SENTINEL_NAME',
        message: `no Sentinel monitors a master named ${JSON.stringify(sentinels.name)} (${String(answered)} of ${String(sentinels.nodes.length)} answered)`,
      };
}

/**
 * A refusal when the server is not a cluster node (REDIS_CLUSTER_NODES names a plain Redis), or
 * the user may not ask it what a cluster client must: its state (CLUSTER INFO, the ready check)
 * and which node serves which slots (CLUSTER SLOTS).
 */
async function notClusterNode(connection: Redis, url: string): Promise<RedisRefusal | null> {
  for (const subcommand of ['INFO', 'SLOTS']) {
    try {
      await connection.call('CLUSTER', subcommand);
    } catch (error) {
      const message = reasonOf(error);
      if (message.startsWith('NOPERM')) {
        return {
          setting: 'REDIS_URL',
          message: `Redis refused CLUSTER ${subcommand} to this user: ${message}`,
        };
      }
      if (!/cluster support disabled/i.test(message)) return null;
      const { host } = new URL(url);
      return {
        setting: 'REDIS_CLUSTER_NODES',
        message: `${host} is not a Redis Cluster node (${message})`,
      };
    }
  }
  return null;
}

/** A connection that connects when asked, once, and gives each command `timeoutMs`. */
function oneTry(timeoutMs: number) {
  return {
    lazyConnect: true,
    enableReadyCheck: false,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
  } as const;
}
