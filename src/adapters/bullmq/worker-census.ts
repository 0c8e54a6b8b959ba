import type { Redis } from 'ioredis';
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
  const queuesByServer = new Map<Redis, string[]>();
  for (const name of queueNames) {
    const server = serverOf(connection, `${prefix}:${name}:meta`);
    const names = queuesByServer.get(server);
    if (names) names.push(name);
    else queuesByServer.set(server, [name]);
  }
  const counts = new Map<string, number>();
  try {
    for (const [server, names] of queuesByServer) {
      const list = String(await server.client('LIST'));
      for (const [queue, count] of countIn(list, prefix, names)) counts.set(queue, count);
    }
  } catch (error) {
    // A refusal is an error reply from Redis (ioredis names it ReplyError).
    if (error instanceof Error && error.name === 'ReplyError') return null;
    throw error;
  }
  return counts;
}

/**
 * The name a BullMQ worker of each queue gives its connection, made once per queue (and made
 * anew for all once more names were made than any deployment watches queues).
 */
const clientNames = new Map<string, string>();
const clientNamesKept = 100_000;

function clientNameOf(prefix: string, queueName: string): string {
  const key = `${prefix}\n${queueName}`;
  let name = clientNames.get(key);
  if (name === undefined) {
    if (clientNames.size >= clientNamesKept) clientNames.clear();
    name = `${prefix}:${Buffer.from(queueName).toString('base64')}`;
    clientNames.set(key, name);
  }
  return name;
}

/** Workers per queue in one CLIENT LIST. */
function countIn(list: string, prefix: string, queueNames: readonly string[]): Map<string, number> {
  const queueByClientName = new Map(queueNames.map((name) => [clientNameOf(prefix, name), name]));
  const counts = new Map<string, number>();
  for (const line of list.split('\n')) {
    const match = / name=(\S*)/.exec(line);
    const clientName = match?.[1];
    if (!clientName) continue;
    const workerSuffix = clientName.indexOf(':w:', prefix.length + 1);
    const base = workerSuffix === -1 ? clientName : clientName.slice(0, workerSuffix);
    const queue = queueByClientName.get(base);
    if (queue !== undefined) counts.set(queue, (counts.get(queue) ?? 0) + 1);
  }
  return counts;
}
