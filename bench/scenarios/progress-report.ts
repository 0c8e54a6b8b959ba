import { bytes, num, table, targetsTable, type TargetCheck } from '../lib/markdown.js';
import type { Relay } from '../lib/relay-session.js';
import { ratio } from '../lib/stats.js';
import type { LatencyData, LatencyRow } from './progress-latency.js';

/** The progress-latency section: targets (on medians of the target cell), then the matrix. */
export function progressMarkdown(
  data: LatencyData,
  relays: readonly Relay[],
  jobs: number,
  warmUpMs: number,
  quick: boolean,
): string {
  const { rows, targetRuns, stepMs } = data;
  const runsOf = (relay: Relay): LatencyRow[] => targetRuns.filter((row) => row.relay === relay);
  const medianOf = (relay: Relay, pick: (row: LatencyRow) => number): number | null =>
    median(runsOf(relay).map(pick));
  const p50 = (relay: Relay): number | null => medianOf(relay, (row) => row.latencyMs.p50);
  const p99 = (relay: Relay): number | null => medianOf(relay, (row) => row.latencyMs.p99);
  const p50Ratio = ratio(p50('queuewatch'), p50('floor'));
  const p99Ratio = ratio(p99('queuewatch'), p99('floor'));
  const ours = rows.filter(
    (row) => row.relay === 'queuewatch' || row.relay === 'queuewatch-batched',
  );
  const runs = runsOf('queuewatch').length;
  const cpu = (relay: Relay): number | null => medianOf(relay, (row) => row.server.cpuPercent);
  const cpuRatio = ratio(cpu('queuewatch'), cpu('floor'));
  const batchedCpuRatio = ratio(cpu('queuewatch-batched'), cpu('floor'));
  const storm = rows.find(
    (row) =>
      row.relay === 'queuewatch-batched' && row.clients === 1_000 && row.eventsPerSecond === 5_000,
  );
  const stormOf = (relay: Relay): string => {
    const row = rows.find(
      (candidate) =>
        candidate.relay === relay &&
        candidate.clients === 1_000 &&
        candidate.eventsPerSecond === 5_000,
    );
    return row ? `${relay} ${num(row.latencyMs.p99)} ms` : `${relay} not measured`;
  };
  const checks: TargetCheck[] = [
    {
      target: 'p50 ≤ 2 ms at 1,000 ev/s × 100 clients',
      measured: `${num(p50('queuewatch'), 3)} ms`,
      met: atMost(p50('queuewatch'), 2),
    },
    {
      target: 'p99 ≤ 10 ms at 1,000 ev/s × 100 clients',
      measured: `${num(p99('queuewatch'), 3)} ms`,
      met: atMost(p99('queuewatch'), 10),
    },
    {
      target: 'p50 and p99 ≤ 1.5 × the floor',
      measured: `p50 ×${num(p50Ratio)}, p99 ×${num(p99Ratio)}`,
      met: p50Ratio === null || p99Ratio === null ? null : p50Ratio <= 1.5 && p99Ratio <= 1.5,
    },
    {
      target: 'server CPU ≤ 1.2 × the floor at 1,000 ev/s × 100 clients',
      measured: `×${num(cpuRatio)} per-event protocol, ×${num(batchedCpuRatio)} batched (${num(cpu('queuewatch'), 1)} / ${num(cpu('queuewatch-batched'), 1)} vs ${num(cpu('floor'), 1)} %)`,
      met: cpuRatio === null ? null : cpuRatio <= 1.2,
    },
    {
      target: 'batched clients p99 ≤ 20 ms at 5,000 ev/s × 1,000 clients',
      measured: ['queuewatch-batched', 'queuewatch', 'floor', 'naive-relay']
        .map((relay) => stormOf(relay as Relay))
        .join('; '),
      met: storm ? storm.latencyMs.p99 <= 20 : null,
    },
    {
      target: 'no completion lost (every cell)',
      measured: `${String(ours.reduce((sum, row) => sum + row.completionsLost, 0))} lost`,
      met: ours.every((row) => row.completionsLost === 0),
    },
  ];
  return [
    `## Progress latency (${quick ? 'quick' : 'full'} run)`,
    '',
    `\`job.updateProgress()\` in a worker process → \`job-progress\` at a socket.io-client, ${String(jobs)} jobs running at once, ${String(stepMs / 1000)} s per rate after a ${String(warmUpMs / 1000)} s warm-up. Client *i* follows job *i* mod ${String(jobs)} (a lone client follows the whole queue). Clients live in processes of their own (≤ 500 clients each), so receiving does not slow the bench's bookkeeping. Peers: **floor** (raw XREAD BLOCK → emit to rooms, no logic) and **naive relay** (one BullMQ QueueEvents per queue, one emit per event).`,
    '',
    `A completion is lost when it has not reached its client 5 s after the worker finished. Progress "delivered" below "expected" means Queuewatch coalesced progress of a job read in one tick (documented: the latest value wins), never a completion. Clients disconnected by a relay: ${String(Math.max(0, ...rows.map((row) => row.disconnects)))}.`,
    '',
    `Targets are judged on the median of ${String(runs)} run${runs === 1 ? '' : 's'} of the 1,000 ev/s × 100 clients cell, relays taking turns:`,
    '',
    targetsTable(checks),
    '',
    table(
      [
        'relay',
        'p50 ms (median)',
        'p99 ms (median)',
        'every run: p50 / p99 / p99.9 ms',
        'server CPU %',
        'server GC %',
      ],
      relays.map((relay) => [
        relay,
        num(p50(relay), 3),
        num(p99(relay), 3),
        runsOf(relay)
          .map(
            (row) =>
              `${num(row.latencyMs.p50)} / ${num(row.latencyMs.p99)} / ${num(row.latencyMs.p999)}`,
          )
          .join('; '),
        num(
          medianOf(relay, (row) => row.server.cpuPercent),
          1,
        ),
        num(
          medianOf(relay, (row) => row.server.gcPercent),
          1,
        ),
      ]),
    ),
    '',
    'Every cell:',
    '',
    table(
      [
        'clients',
        'ev/s asked (sent)',
        'relay',
        'p50 ms',
        'p99 ms',
        'p99.9 ms',
        'max ms',
        'progress delivered / expected',
        'completions lost',
        'server CPU %',
        'server GC %',
        'server RSS',
      ],
      rows.map((row) => [
        num(row.clients),
        `${num(row.eventsPerSecond)} (${num(row.sentPerSecond, 0)})`,
        row.relay,
        num(row.latencyMs.p50, 3),
        num(row.latencyMs.p99, 3),
        num(row.latencyMs.p999, 3),
        num(row.latencyMs.max, 3),
        `${num(row.progressDelivered)} / ${num(row.progressExpected)}`,
        num(row.completionsLost),
        num(row.server.cpuPercent, 1),
        num(row.server.gcPercent, 1),
        bytes(row.server.rssBytes),
      ]),
    ),
    '',
  ].join('\n');
}

function median(values: readonly number[]): number | null {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? null)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function atMost(value: number | null, limit: number): boolean | null {
  return value === null ? null : value <= limit;
}
