import { createRequire } from 'node:module';
import { Cluster, type Redis } from 'ioredis';

/** The hash slot (0–16383) Redis Cluster gives a key, its hash tag honoured (ioredis's own). */
const calculateSlot = createRequire(import.meta.url)('cluster-key-slot') as (key: string) => number;

/**
 * A connection to one Redis (maybe found through Sentinels) or to a Redis Cluster. Commands on
 * keys go where the key lives either way; a command that names no key (SCAN, INFO, CLIENT LIST)
 * is sent to the servers `mastersOf` or `serverOf` give.
 */
export type RedisClient = Redis | Cluster;

/** The servers a keyless command must ask to cover every key: a cluster's masters, or the one. */
export function mastersOf(client: RedisClient): Redis[] {
  return client instanceof Cluster ? client.nodes('master') : [client];
}

/**
 * The server that holds `key` (on a cluster, the master of its slot as last learnt); throws when
 * a cluster has not said yet which node that is.
 */
export function serverOf(client: RedisClient, key: string): Redis {
  if (!(client instanceof Cluster)) return client;
  const slot = calculateSlot(key);
  const master = client.slots[slot]?.[0];
  const server = client
    .nodes('master')
    .find((node) => `${node.options.host ?? ''}:${String(node.options.port ?? '')}` === master);
  if (server === undefined) {
    throw new Error(`the cluster has not said which master holds slot ${String(slot)}`);
  }
  return server;
}
