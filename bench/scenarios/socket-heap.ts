import { startChild, type Child, type IpcMessage } from '../lib/child.js';
import { bytes, num, table, targetsTable } from '../lib/markdown.js';
import type { RunOptions, ScenarioReport } from '../lib/scenario.js';
import { chunk, idlePlan } from '../lib/subscription-plan.js';
import type { UsageReply } from '../lib/usage-reporter.js';

/**
 * Queuewatch; plain Socket.IO (the floor relay) for what Socket.IO itself costs; and the layers
 * a Socket.IO connection stands on, each alone: engine.io (its transport) and ws (the WebSocket).
 */
type Holder = 'queuewatch' | 'floor' | 'engine.io' | 'ws';

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
  'engine.io': 'socket-layer-server',
  ws: 'socket-layer-server',
};

/** The layers are served alone and take bare connections; the others take socket.io-clients. */
const layerOf = (holder: Holder): 'engine.io' | 'ws' | null =>
  holder === 'engine.io' || holder === 'ws' ? holder : null;

/**
 * Heap per idle connected socket: the server runs with --expose-gc and reports heapUsed after a
 * full GC, before and after N clients (in client processes of their own) connect to
 * /job-progress and stay idle. The floor relay (plain Socket.IO, nothing of Queuewatch's) shows
 * how much of that is Socket.IO's own, and engine.io and ws alone what its layers keep.
 */
export async function socketHeap(
  redisUrl: string,
  options: RunOptions,
): Promise<ScenarioReport<{ rows: HeapRow[] }>> {
  const sockets = options.quick ? 1_000 : 10_000;
  const holders: Holder[] = ['queuewatch', 'floor', 'engine.io', 'ws'];
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
    { REDIS_URL: redisUrl, QUEUEWATCH_QUEUES: 'bench', SOCKET_LAYER: layerOf(holder) ?? '' },
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
          { type: 'connect', url, plan: plans[index] ?? [], layer: layerOf(holder) },
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
  const engine = rows.find((row) => row.holder === 'engine.io');
  const webSocket = rows.find((row) => row.holder === 'ws');
  return [
    `## Heap per idle socket (${quick ? 'quick' : 'full'} run)`,
    '',
    `Server heapUsed after a full GC (--expose-gc), before and after ${num(ours?.sockets)} idle socket.io-clients connected to /job-progress (no subscription). The floor is plain Socket.IO: what Socket.IO itself keeps per socket. Below it, the layers a Socket.IO connection stands on, each served alone to bare WebSocket clients: **engine.io** (Socket.IO's transport, configured and served as Queuewatch does: neither the upgrade request nor the first HTTP request kept) and **ws** (the WebSocket library engine.io uses, with the options engine.io gives it; its Node.js TCP socket included). Everything above the ws row is what Socket.IO's layers add to a WebSocket.`,
    '',
    targetsTable([
      {
        target: '≤ 5 KB heap per idle socket',
        measured: `${bytes(ours?.heapPerSocket)} (Socket.IO alone: ${bytes(floor?.heapPerSocket)}; engine.io alone: ${bytes(engine?.heapPerSocket)}; ws alone: ${bytes(webSocket?.heapPerSocket)})`,
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
