import { Redis } from 'ioredis';
import { startChild, type Child } from './child.js';
import { profileArgs } from './scenario.js';

/**
 * Who answers: Queuewatch as users run it (a report is served again for up to
 * QUEUEWATCH_HEALTH_CACHE_MS, 1 s by default; quiet queues' counts are read again every
 * QUEUEWATCH_HEALTH_QUIET_REFRESH_MS, 10 s, and their samples only after job events), Queuewatch
 * reading every queue in full on every request (both set to 0: the cost of one full health
 * check), and bull-board.
 */
export type HealthServer = 'queuewatch' | 'queuewatch-uncached' | 'bull-board';

export const healthServers: readonly HealthServer[] = [
  'queuewatch',
  'queuewatch-uncached',
  'bull-board',
];

/** What each serves: Queuewatch's report, and what bull-board's overview page polls. */
export const healthPaths: Record<HealthServer, string> = {
  queuewatch: '/api/v1/health/queues',
  'queuewatch-uncached': '/api/v1/health/queues',
  'bull-board': '/api/queues?page=1&jobsPerPage=10',
};

/** A health report says "unhealthy" with 503: an answer, not a failure. */
export const healthAnswers: Record<HealthServer, readonly number[]> = {
  queuewatch: [200, 503],
  'queuewatch-uncached': [200, 503],
  'bull-board': [200],
};

const processOf: Record<HealthServer, { name: string; env: Record<string, string> }> = {
  queuewatch: { name: 'queuewatch-server', env: {} },
  'queuewatch-uncached': {
    name: 'queuewatch-server',
    env: { QUEUEWATCH_HEALTH_CACHE_MS: '0', QUEUEWATCH_HEALTH_QUIET_REFRESH_MS: '0' },
  },
  'bull-board': { name: 'bull-board-server', env: {} },
};

/** One of them on `names`; `label` names its CPU profile folder. */
export function startHealthServer(
  server: HealthServer,
  redisUrl: string,
  names: readonly string[],
  profileDir: string | null,
  label = `health-${server}-${String(names.length)}`,
): Child {
  return startChild(
    processOf[server].name,
    { REDIS_URL: redisUrl, QUEUEWATCH_QUEUES: names.join(','), ...processOf[server].env },
    /listening (http:\/\/\S+)\n/,
    { ipc: true, nodeArgs: profileArgs(profileDir, label) },
  );
}

/** The three servers on the same queues; `children` to stop them. */
export async function startHealthServers(
  redisUrl: string,
  names: readonly string[],
  profileDir: string | null,
): Promise<{ urls: Record<HealthServer, string>; children: Record<HealthServer, Child> }> {
  const start = (server: HealthServer): Child =>
    startHealthServer(server, redisUrl, names, profileDir);
  const children = {
    queuewatch: start('queuewatch'),
    'queuewatch-uncached': start('queuewatch-uncached'),
    'bull-board': start('bull-board'),
  };
  try {
    const [ours, uncached, theirs] = await Promise.all(
      healthServers.map((server) => children[server].ready),
    );
    return {
      urls: {
        queuewatch: ours?.[1] ?? '',
        'queuewatch-uncached': uncached?.[1] ?? '',
        'bull-board': theirs?.[1] ?? '',
      },
      children,
    };
  } catch (error) {
    await Promise.all(Object.values(children).map((child) => child.stop()));
    throw error;
  }
}

/**
 * One idle connection per queue named as a BullMQ worker names its own (`<prefix>:<base64 of the
 * queue name>`), so both dashboards see a worker on every queue, as in production, and CLIENT
 * LIST (which both run) lists as many connections as a real deployment would at least have.
 */
export async function connectIdleWorkers(
  redisUrl: string,
  prefix: string,
  names: readonly string[],
): Promise<Redis[]> {
  const workers = names.map(
    (name) =>
      new Redis(redisUrl, { connectionName: `${prefix}:${Buffer.from(name).toString('base64')}` }),
  );
  await Promise.all(workers.map((worker) => worker.ping()));
  return workers;
}
