import { Cluster, type Redis } from 'ioredis';
import { serverOf, type RedisClient } from './redis-topology.js';

/**
 * Count connected BullMQ workers per queue with one CLIENT LIST. A worker names its connection
 * `<prefix>:<base64 of the queue name>` (or that plus `:w:<worker name>`), which is what BullMQ's
 * own `getWorkers` matches. Returns `null` when Redis refuses CLIENT LIST (some managed services
 * do), so the report can say "unknown" rather than "no workers"; throws when Redis cannot be
 * asked at all (a lost connection, a timeout), so the queues are reported unreadable. On a
 * cluster, a worker may be connected to several masters under the same name, but it waits for
 * jobs on the master that holds its queue: that master is asked, once for all its queues, and no
 * other (one that is down elsewhere in the cluster does not hide the workers).
 */
export async function countWorkers(
  connection: RedisClient,
  prefix: string,
  queueNames: readonly string[],
): Promise<Map<string, number> | null> {
  try {
    // One server holds every queue: its workers, counted by the queue their names decode to.
    if (!(connection instanceof Cluster)) return workersIn(await clientList(connection), prefix);
    const queuesByServer = new Map<Redis, string[]>();
    for (const name of queueNames) {
      const server = serverOf(connection, `${prefix}:${name}:meta`);
      const names = queuesByServer.get(server);
      if (names) names.push(name);
      else queuesByServer.set(server, [name]);
    }
    const counts = new Map<string, number>();
    for (const [server, names] of queuesByServer) {
      const found = workersIn(await clientList(server), prefix);
      for (const name of names) {
        const count = found.get(name);
        if (count !== undefined) counts.set(name, count);
      }
    }
    return counts;
  } catch (error) {
    // A refusal is an error reply from Redis (ioredis names it ReplyError).
    if (error instanceof Error && error.name === 'ReplyError') return null;
    throw error;
  }
}

async function clientList(server: Redis): Promise<string> {
  return String(await server.client('LIST'));
}

/**
 * Workers per queue in one CLIENT LIST, by the queue each worker's connection name decodes to
 * (the caller looks its queues up: a queue that is not there has none). Nothing is done per
 * watched queue, so with thousands of them this costs what the connected clients cost.
 */
function workersIn(list: string, prefix: string): Map<string, number> {
  const counts = new Map<string, number>();
  const start = `${prefix}:`;
  for (const line of list.split('\n')) {
    const clientName = / name=(\S*)/.exec(line)?.[1];
    if (!clientName?.startsWith(start)) continue;
    const workerSuffix = clientName.indexOf(':w:', start.length);
    const encoded = clientName.slice(start.length, workerSuffix === -1 ? undefined : workerSuffix);
    const queue = Buffer.from(encoded, 'base64').toString();
    // Base64 decoding skips what is not base64: only a name that encodes back is a worker's.
    if (encoded === '' || Buffer.from(queue).toString('base64') !== encoded) continue;
    counts.set(queue, (counts.get(queue) ?? 0) + 1);
  }
  return counts;
}
