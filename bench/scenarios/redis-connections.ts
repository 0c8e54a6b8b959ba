import { Redis } from 'ioredis';
import { startChild } from '../lib/child.js';
import { connectionsByName } from '../lib/client-list.js';
import { num, table, targetsTable } from '../lib/markdown.js';
import type { RunOptions, ScenarioReport } from '../lib/scenario.js';

/** Who holds the connections: Queuewatch, or one BullMQ QueueEvents per queue (naive relay). */
type Holder = 'queuewatch' | 'naive-relay';

export interface ConnectionRow {
  readonly holder: Holder;
  readonly queues: number;
  readonly connections: number;
  readonly byName: Record<string, number>;
}

const holderProcess: Record<Holder, string> = {
  queuewatch: 'queuewatch-server',
  'naive-relay': 'naive-relay',
};
/** Time for lazily opened connections to appear after start-up and a first health check. */
const settleMs = 1_500;

/**
 * Redis connections Queuewatch opens for 1, 10 and 100 queues, beside one QueueEvents per queue.
 * Each holder runs alone against this scenario's Redis: every connection but the bench's own
 * admin connection is the holder's. Queuewatch is asked for a health report first, so
 * connections opened on first use are counted too.
 */
export async function redisConnections(
  redisUrl: string,
  options: RunOptions,
): Promise<ScenarioReport<{ rows: ConnectionRow[] }>> {
  const admin = new Redis(redisUrl);
  const adminId = await admin.client('ID');
  const rows: ConnectionRow[] = [];
  try {
    for (const queues of options.quick ? [1, 100] : [1, 10, 100]) {
      const names = Array.from(
        { length: queues },
        (_, index) => `conn-${String(index).padStart(3, '0')}`,
      );
      // The queues exist, as BullMQ leaves them once used.
      for (const name of names) await admin.hset(`bull:${name}:meta`, 'opts.maxLenEvents', '10000');
      for (const holder of ['queuewatch', 'naive-relay'] as const) {
        const child = startChild(
          holderProcess[holder],
          { REDIS_URL: redisUrl, QUEUEWATCH_QUEUES: names.join(',') },
          /listening (http:\/\/\S+)\n/,
          { ipc: true },
        );
        try {
          const url = (await child.ready)[1] ?? '';
          if (holder === 'queuewatch')
            await (await fetch(`${url}/api/v1/health/queues`)).arrayBuffer();
          await new Promise((resolve) => setTimeout(resolve, settleMs));
          const counted = await connectionsByName(admin, [adminId]);
          rows.push({ holder, queues, connections: counted.total, byName: counted.byName });
          options.log(
            `connections: ${holder}, ${String(queues)} queues → ${String(counted.total)}`,
          );
        } finally {
          await child.stop();
        }
      }
    }
  } finally {
    admin.disconnect();
  }
  return { data: { rows }, markdown: toMarkdown(rows, options.quick) };
}

function toMarkdown(rows: readonly ConnectionRow[], quick: boolean): string {
  const ours = rows.filter((row) => row.holder === 'queuewatch');
  const counts = new Set(ours.map((row) => row.connections));
  const names = (row: ConnectionRow | undefined): string =>
    row
      ? Object.entries(row.byName)
          .map(([name, count]) => `${name} ×${String(count)}`)
          .join(', ')
      : 'n/a';
  return [
    `## Redis connections (${quick ? 'quick' : 'full'} run)`,
    '',
    'Connections in CLIENT LIST while each holder runs alone (the bench’s admin connection left out), after start-up, a first health request and 1.5 s. Peer: one BullMQ `QueueEvents` per queue (the naive relay).',
    '',
    targetsTable([
      {
        target: 'Redis connections do not grow with the number of queues',
        measured: ours
          .map((row) => `${String(row.queues)} → ${String(row.connections)}`)
          .join(', '),
        met: ours.length === 0 ? null : counts.size === 1,
      },
    ]),
    '',
    table(
      ['queues', 'Queuewatch', 'one QueueEvents per queue'],
      [...new Set(rows.map((row) => row.queues))].map((queues) => {
        const find = (holder: Holder): ConnectionRow | undefined =>
          rows.find((row) => row.holder === holder && row.queues === queues);
        return [
          num(queues),
          num(find('queuewatch')?.connections),
          num(find('naive-relay')?.connections),
        ];
      }),
    ),
    '',
    `Queuewatch's connections by name (100 queues): ${names(ours.find((row) => row.queues === 100))}.`,
    '',
  ].join('\n');
}
