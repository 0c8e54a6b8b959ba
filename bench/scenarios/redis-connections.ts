import { Redis } from 'ioredis';
import { startChild, type IpcMessage } from '../lib/child.js';
import { connectionsByName } from '../lib/client-list.js';
import { bytes, num, table, targetsTable } from '../lib/markdown.js';
import type { RunOptions, ScenarioReport } from '../lib/scenario.js';
import type { UsageReply } from '../lib/usage-reporter.js';

/**
 * Who holds the connections: Queuewatch, the floor relay (one XREAD BLOCK connection for all
 * queues, no logic) or one BullMQ QueueEvents per queue (naive relay).
 */
type Holder = 'queuewatch' | 'floor' | 'naive-relay';

export interface ConnectionRow {
  readonly holder: Holder;
  readonly queues: number;
  readonly connections: number;
  readonly byName: Record<string, number>;
  /** From spawning the process to its first answer on HTTP (Queuewatch: a health report), ms. */
  readonly readyMs: number;
  /** Idle, after start-up, a first health request and the settle time. */
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  /** At rest: `restMs` after ready with nothing asked (100 queues, full runs); null when not measured. */
  readonly rest: { readonly rssBytes: number; readonly heapUsedBytes: number } | null;
}

const holderProcess: Record<Holder, string> = {
  queuewatch: 'queuewatch-server',
  floor: 'floor-relay',
  'naive-relay': 'naive-relay',
};
const holders: readonly Holder[] = ['queuewatch', 'floor', 'naive-relay'];
/** Time for lazily opened connections to appear after start-up and a first health check. */
const settleMs = 1_500;
/**
 * How long a holder is left alone before its memory at rest is read. V8 keeps the heap that
 * start-up grew until its memory reducer sees the process quiet (about 8 s after the last full
 * GC, checked again every 8 s while it is not); 30 s leaves it time for that.
 */
const restMs = 30_000;
/** Queue counts whose memory is also read at rest (full runs only: 30 s per holder). */
const restAt = 100;

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
      for (const holder of holders) {
        const spawnedAt = performance.now();
        const child = startChild(
          holderProcess[holder],
          { REDIS_URL: redisUrl, QUEUEWATCH_QUEUES: names.join(',') },
          /listening (http:\/\/\S+)\n/,
          { ipc: true },
        );
        try {
          const url = (await child.ready)[1] ?? '';
          if (holder === 'queuewatch') {
            const health = await fetch(`${url}/api/v1/health/queues`);
            await health.arrayBuffer();
            if (health.status !== 200) throw new Error(`health answered ${String(health.status)}`);
          }
          const readyMs = performance.now() - spawnedAt;
          await new Promise((resolve) => setTimeout(resolve, settleMs));
          const counted = await connectionsByName(admin, [adminId]);
          const usage = await child.ask<UsageReply & IpcMessage>({ type: 'usage' }, 'usage');
          let rest: ConnectionRow['rest'] = null;
          if (!options.quick && queues === restAt) {
            await new Promise((resolve) => setTimeout(resolve, restMs - settleMs));
            const rested = await child.ask<UsageReply & IpcMessage>({ type: 'usage' }, 'usage');
            rest = { rssBytes: rested.rssBytes, heapUsedBytes: rested.heapUsedBytes };
          }
          rows.push({
            holder,
            queues,
            connections: counted.total,
            byName: counted.byName,
            readyMs,
            rssBytes: usage.rssBytes,
            heapUsedBytes: usage.heapUsedBytes,
            rest,
          });
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
  const at100 = (holder: Holder): ConnectionRow | undefined =>
    rows.find((row) => row.holder === holder && row.queues === 100);
  const names = (row: ConnectionRow | undefined): string =>
    row
      ? Object.entries(row.byName)
          .map(([name, count]) => `${name} ×${String(count)}`)
          .join(', ')
      : 'n/a';
  const mb = 1_000_000;
  const ours100 = at100('queuewatch');
  return [
    `## Redis connections, start-up and idle memory (${quick ? 'quick' : 'full'} run)`,
    '',
    "Each holder runs alone against this scenario's Redis, as compiled JavaScript: Queuewatch as the bundle `npm run build` makes of the `queuewatch` command (esbuild.config.js), the relays unbundled. Connections in CLIENT LIST (the bench’s admin connection left out), RSS and heap (no forced GC) after start-up, a first health request and 1.5 s; at 100 queues, again **at rest**: 30 s after ready with nothing asked, by when V8 has handed back the heap start-up grew (its memory reducer waits for the process to be quiet, about 16 s here). Ready: from spawning the process to its first health report (Queuewatch) or its listening line (the relays). Peers: the **floor** relay (one XREAD BLOCK connection, no logic) and one BullMQ `QueueEvents` per queue (the **naive relay**).",
    '',
    targetsTable([
      {
        target: 'at most 4 Redis connections in all, whatever the number of queues',
        measured: ours
          .map((row) => `${String(row.queues)} → ${String(row.connections)}`)
          .join(', '),
        met: ours.length === 0 ? null : ours.every((row) => row.connections <= 4),
      },
      {
        target: 'idle RSS ≤ 100 MB with 100 watched queues',
        measured: idleRss(ours100, at100('floor')),
        met: ours100?.rest ? ours100.rest.rssBytes <= 100 * mb : null,
      },
      {
        target: 'start-up to ready ≤ 1 s with 100 queues',
        measured: ours100 ? `${num(ours100.readyMs, 0)} ms` : 'n/a',
        met: ours100 ? ours100.readyMs <= 1_000 : null,
      },
    ]),
    '',
    table(
      [
        'queues',
        'holder',
        'Redis connections',
        'ready ms',
        'RSS',
        'heap used',
        'RSS at rest',
        'heap used at rest',
      ],
      rows.map((row) => [
        num(row.queues),
        row.holder,
        num(row.connections),
        num(row.readyMs, 0),
        bytes(row.rssBytes),
        bytes(row.heapUsedBytes),
        row.rest ? bytes(row.rest.rssBytes) : '–',
        row.rest ? bytes(row.rest.heapUsedBytes) : '–',
      ]),
    ),
    '',
    `Queuewatch's connections by name (100 queues): ${names(ours100)}.`,
    '',
  ].join('\n');
}

/** The target's figure: RSS at rest, beside the floor's at rest and both just after start-up. */
function idleRss(ours: ConnectionRow | undefined, floor: ConnectionRow | undefined): string {
  const mb = 1_000_000;
  if (!ours?.rest) return 'n/a (measured in full runs)';
  const floorRest = floor?.rest ? `${num(floor.rest.rssBytes / mb, 1)} MB` : 'n/a';
  return `${num(ours.rest.rssBytes / mb, 1)} MB at rest (floor ${floorRest}); ${num(ours.rssBytes / mb, 1)} MB 1.5 s after ready (floor ${num((floor?.rssBytes ?? NaN) / mb, 1)} MB)`;
}
