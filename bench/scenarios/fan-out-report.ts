import { bytes, num, table, targetsTable, type TargetCheck } from '../lib/markdown.js';
import type { Relay } from '../lib/relay-session.js';
import { ratio } from '../lib/stats.js';
import type { FanOutData, FanOutRamp } from './fan-out.js';

/** The fan-out section: targets on the median ramp of each relay, then every ramp and step. */
export function fanOutMarkdown(data: FanOutData, quick: boolean): string {
  const { ramps, relays, stepMs } = data;
  const { clients, jobs, deliveriesPerEvent, latencyLimitMs } = data.setup;
  const capacityOf = (ramp: FanOutRamp): number => ramp.best?.deliveriesPerSecond ?? 0;
  // The ramp whose capacity is the median of the relay's ramps (the lower middle one of two).
  const medianRamp = (relay: Relay): FanOutRamp | undefined => {
    const sorted = ramps
      .filter((ramp) => ramp.relay === relay)
      .sort((a, b) => capacityOf(a) - capacityOf(b));
    return sorted[Math.floor((sorted.length - 1) / 2)];
  };
  // The targets are judged on the batched delivery, an opt-in of the client (auth.delivery); the
  // default per-event protocol is reported beside it.
  const ours = medianRamp('queuewatch-batched');
  const perEvent = medianRamp('queuewatch');
  const naive = medianRamp('naive-relay');
  const versusNaive = ratio(ours && capacityOf(ours), naive && capacityOf(naive));
  const rounds = Math.max(...ramps.map((ramp) => ramp.round));
  const checks: TargetCheck[] = [
    {
      target: '≥ 500,000 deliveries/s at p99 < 100 ms, 1,000 clients',
      measured: `${num(ours && capacityOf(ours), 0)} deliveries/s with batched delivery (opt-in; default per-event protocol: ${perEvent ? num(capacityOf(perEvent), 0) : 'not run in a quick run'})`,
      met: ours ? capacityOf(ours) >= 500_000 : null,
    },
    {
      target: '≥ 5 × the naive relay',
      measured: `×${num(versusNaive)} batched (per-event protocol: ${perEvent ? `×${num(ratio(capacityOf(perEvent), naive && capacityOf(naive)))}` : 'not run in a quick run'})`,
      met: versusNaive === null ? null : versusNaive >= 5,
    },
  ];
  const perCore = (ramp: FanOutRamp | undefined): string => {
    const step = ramp?.best;
    return step && step.server.cpuPercent > 0
      ? num(step.deliveriesPerSecond / (step.server.cpuPercent / 100), 0)
      : 'n/a';
  };
  return [
    `## Fan-out capacity (${quick ? 'quick' : 'full'} run)`,
    '',
    `${num(clients)} socket.io-clients in two processes: 70 % follow one of ${String(jobs)} running jobs, 20 % the queue, 10 % every queue (${String(deliveriesPerEvent)} deliveries per progress event). The rate goes up in ${String(stepMs / 1000)} s steps (${num((data.rates[1] ?? 0) / (data.rates[0] ?? 1), 1)}× apart) and stops at the first step whose p99 ≥ ${String(latencyLimitMs)} ms or which loses a completion. Capacity = deliveries/s received in the last step that passed; with ${String(rounds)} ramp${rounds === 1 ? '' : 's'} per relay, relays taking turns, the median ramp counts. CPU is the server process's own (process.cpuUsage, % of one core) in that step; "per core" = deliveries/s ÷ that CPU share. RSS per 1,000 clients = RSS with the 1,000 clients connected and subscribed − RSS before. The clients (on the same 2 cores) use about as much CPU as the server: this is the capacity of the machine with its clients, not of the server alone.`,
    '',
    `Queuewatch is measured twice, on the same server: **queuewatch** is the default protocol (one Socket.IO packet per event, as \`job-progress\` etc.); **queuewatch-batched** is the opt-in batched delivery, where a client connects with \`auth: { delivery: 'batch' }\` and receives \`events\` packets, each holding the events since the previous one in order (the same payloads, the same coalescing), at most one every 20 ms per client (at once after a quiet spell), each encoded once for all clients with the same subscriptions. Each event in a batch counts as one delivery, with its own latency (worker send time → batch received). The targets are judged on the batched column; the floor and the naive relay send one packet per event.`,
    '',
    targetsTable(checks),
    '',
    table(
      [
        'relay',
        'capacity deliveries/s (median)',
        'every ramp',
        'p99 ms',
        'server CPU %',
        'deliveries/s per core',
        'server GC %',
        'RSS per 1,000 clients',
        'RSS at capacity',
      ],
      relays.map((relay) => {
        const median = medianRamp(relay);
        return [
          relay,
          num(median && capacityOf(median), 0),
          ramps
            .filter((ramp) => ramp.relay === relay)
            .map((ramp) => `${num(capacityOf(ramp), 0)} (${ramp.stoppedBecause})`)
            .join('; '),
          num(median?.best?.latencyMs.p99, 2),
          num(median?.best?.server.cpuPercent, 1),
          perCore(median),
          num(median?.best?.server.gcPercent, 1),
          bytes(median ? median.rssWithClients - median.rssBeforeClients : null),
          bytes(median?.best?.server.rssBytes),
        ];
      }),
    ),
    '',
    'Every step:',
    '',
    table(
      [
        'relay',
        'round',
        'ev/s asked (sent)',
        'deliveries/s',
        'packets/s at clients',
        'p50 ms',
        'p99 ms',
        'max ms',
        'progress delivered / expected',
        'completions lost',
        'server CPU %',
        'server GC %',
        'clients CPU %',
      ],
      ramps.flatMap((ramp) =>
        ramp.steps.map((step) => [
          ramp.relay,
          String(ramp.round),
          `${num(step.eventsPerSecond)} (${num(step.sentPerSecond, 0)})`,
          num(step.deliveriesPerSecond, 0),
          num(step.packetsPerSecond, 0),
          num(step.latencyMs.p50, 2),
          num(step.latencyMs.p99, 2),
          num(step.latencyMs.max, 1),
          `${num(step.progressDelivered)} / ${num(step.progressExpected)}`,
          num(step.completionsLost),
          num(step.server.cpuPercent, 1),
          num(step.server.gcPercent, 1),
          num(step.clientsCpuPercent, 1),
        ]),
      ),
    ),
    '',
  ].join('\n');
}
