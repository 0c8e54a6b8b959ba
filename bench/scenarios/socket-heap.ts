import { startChild, type Child, type IpcMessage } from '../lib/child.js';
import { bytes, num, table, targetsTable } from '../lib/markdown.js';
import type { RunOptions, ScenarioReport } from '../lib/scenario.js';
import { chunk, idlePlan } from '../lib/subscription-plan.js';
import type { UsageReply } from '../lib/usage-reporter.js';

/** Queuewatch, or plain Socket.IO (the floor relay) for what Socket.IO itself costs. */
type Holder = 'queuewatch' | 'floor';

export interface HeapRow {
  readonly holder: Holder;
  readonly sockets: number;
  readonly heapBefore: number;
  readonly heapAfter: number;
  readonly rssBefore: number;
  readonly rssAfter: number;
  readonly heapPerSocket: number;
}

const holderProcess: Record<Holder, string> = {
  queuewatch: 'queuewatch-server',
  floor: 'floor-relay',
};

/**
 * Heap per idle connected socket: the server runs with --expose-gc and reports heapUsed after a
 * full GC, before and after N clients (in client processes of their own) connect to
 * /job-progress and stay idle. The floor relay (plain Socket.IO, nothing of Queuewatch's) shows
 * how much of that is Socket.IO's own.
 */
export async function socketHeap(
  redisUrl: string,
  options: RunOptions,
): Promise<ScenarioReport<{ rows: HeapRow[] }>> {
  const sockets = options.quick ? 1_000 : 10_000;
  const holders: Holder[] = ['queuewatch', 'floor'];
  const rows: HeapRow[] = [];
  for (const holder of holders) {
    options.log(`socket heap: ${holder}, ${String(sockets)} idle sockets…`);
    rows.push(await measure(redisUrl, holder, sockets));
  }
  return { data: { rows }, markdown: toMarkdown(rows, options.quick) };
}

async function measure(redisUrl: string, holder: Holder, sockets: number): Promise<HeapRow> {
  const server = startChild(
    holderProcess[holder],
    { REDIS_URL: redisUrl, QUEUEWATCH_QUEUES: 'bench' },
    /listening (http:\/\/\S+)\n/,
    { ipc: true, nodeArgs: ['--expose-gc'] },
  );
  const plans = chunk(idlePlan(sockets), 500);
  const pools = plans.map(() => startChild('client-pool', {}, /ready\n/, { ipc: true }));
  const children: Child[] = [server, ...pools];
  try {
    const [match] = await Promise.all([server.ready, ...pools.map((pool) => pool.ready)]);
    const url = match[1] ?? '';
    const usage = (): Promise<UsageReply> =>
      server.ask<UsageReply & IpcMessage>({ type: 'usage', gc: true }, 'usage');
    // Let start-up finish (first reads, timers) before the baseline.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await usage();
    const before = await usage();
    const connected = await Promise.all(
      pools.map((pool, index) =>
        pool.ask<{ type: 'connected'; failed: number }>(
          { type: 'connect', url, plan: plans[index] ?? [] },
          'connected',
          120_000,
        ),
      ),
    );
    if (connected.some((reply) => reply.failed > 0))
      throw new Error('some sockets did not connect');
    // Past the handshake's transient buffers, with a ping/pong or two behind every socket.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const after = await usage();
    if (!after.collected) throw new Error(`${holder} did not run gc(): is --expose-gc set?`);
    return {
      holder,
      sockets,
      heapBefore: before.heapUsedBytes,
      heapAfter: after.heapUsedBytes,
      rssBefore: before.rssBytes,
      rssAfter: after.rssBytes,
      heapPerSocket: Math.round((after.heapUsedBytes - before.heapUsedBytes) / sockets),
    };
  } finally {
    await Promise.all(children.map((child) => child.stop()));
  }
}

function toMarkdown(rows: readonly HeapRow[], quick: boolean): string {
  const ours = rows.find((row) => row.holder === 'queuewatch');
  const floor = rows.find((row) => row.holder === 'floor');
  return [
    `## Heap per idle socket (${quick ? 'quick' : 'full'} run)`,
    '',
    `Server heapUsed after a full GC (--expose-gc), before and after ${num(ours?.sockets)} idle socket.io-clients connected to /job-progress (no subscription). The floor is plain Socket.IO: what Socket.IO itself keeps per socket.`,
    '',
    targetsTable([
      {
        target: '≤ 5 KB heap per idle socket',
        measured: `${bytes(ours?.heapPerSocket)} (Socket.IO alone: ${bytes(floor?.heapPerSocket)})`,
        met: ours ? ours.heapPerSocket <= 5_000 : null,
      },
    ]),
    '',
    table(
      [
        'server',
        'sockets',
        'heap before',
        'heap after',
        'heap per socket',
        'RSS before',
        'RSS after',
        'RSS per socket',
      ],
      rows.map((row) => [
        row.holder,
        num(row.sockets),
        bytes(row.heapBefore),
        bytes(row.heapAfter),
        bytes(row.heapPerSocket),
        bytes(row.rssBefore),
        bytes(row.rssAfter),
        bytes((row.rssAfter - row.rssBefore) / row.sockets),
      ]),
    ),
    '',
  ].join('\n');
}
