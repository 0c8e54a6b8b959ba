import { bytes, num, table, targetsTable, type TargetCheck } from '../lib/markdown.js';
import { RelaySession, type Relay, type StepResult } from '../lib/relay-session.js';
import { profileArgs, type RunOptions, type ScenarioReport } from '../lib/scenario.js';
import { ratio } from '../lib/stats.js';
import { mixPlan, type Mix } from '../lib/subscription-plan.js';

/** Why a ramp stopped. */
type StopReason = 'p99 ≥ 100 ms' | 'events lost' | 'worker could not keep up' | 'last step';

/** One relay's ramp. */
export interface FanOutResult {
  readonly relay: Relay;
  readonly steps: readonly (StepResult & { readonly passed: boolean })[];
  /** The last step that passed, or `null` when the first one failed. */
  readonly best: StepResult | null;
  readonly stoppedBecause: StopReason;
  /** Server RSS before any client connected, and with the 1,000 idle clients subscribed. */
  readonly rssBeforeClients: number;
  readonly rssWithClients: number;
}

const queueName = 'bench';
const jobs = 100;
const clients = 1_000;
/** 70 % follow one job, 20 % the queue, 10 % every queue: 7 + 200 + 100 deliveries per event. */
const mix: Mix = { job: 0.7, queue: 0.2 };
const deliveriesPerEvent = 7 + 200 + 100;
const latencyLimitMs = 100;

/**
 * Fan-out capacity: 1,000 clients with a mix of job, queue and all subscriptions; the event rate
 * goes up in steps until a step's p99 reaches 100 ms, or a completion is lost, or the worker
 * cannot send that fast. The capacity is the deliveries/s of the last step that passed.
 */
export async function fanOutCapacity(
  redisUrl: string,
  options: RunOptions,
): Promise<ScenarioReport<{ results: FanOutResult[]; stepMs: number; rates: number[] }>> {
  const relays: Relay[] = options.quick
    ? ['queuewatch', 'naive-relay']
    : ['queuewatch', 'floor', 'naive-relay'];
  // 1.5× apart (2× in a quick run) from 6,000 deliveries/s (12,000 quick: a step lasts at least
  // one report interval, 100 jobs ÷ rate, so low rates are slow) up to 550,000.
  const rates = options.quick
    ? [40, 80, 160, 320]
    : [20, 30, 45, 70, 100, 150, 230, 350, 520, 780, 1_200, 1_800];
  const stepMs = options.quick ? 2_000 : 5_000;
  const results: FanOutResult[] = [];
  for (const relay of relays) {
    options.log(`fan-out: ${relay}, ${String(clients)} clients…`);
    const session = await RelaySession.open({
      redisUrl,
      relay,
      plan: mixPlan(clients, jobs, queueName, mix),
      jobs,
      queueName,
      serverNodeArgs: profileArgs(options.profileDir, `fan-out-${relay}`),
    });
    try {
      // A rate the relays carry easily, long enough for every job to report once.
      await session.warmUp(100, 1_000);
      results.push(await ramp(relay, session, rates, stepMs, options.log));
    } finally {
      await session.close();
    }
  }
  return { data: { results, stepMs, rates }, markdown: toMarkdown(results, stepMs, options.quick) };
}

async function ramp(
  relay: Relay,
  session: RelaySession,
  rates: readonly number[],
  stepMs: number,
  log: (line: string) => void,
): Promise<FanOutResult> {
  const steps: (StepResult & { passed: boolean })[] = [];
  let best: StepResult | null = null;
  let stoppedBecause: StopReason = 'last step';
  for (const rate of rates) {
    const step = await session.step(rate, stepMs);
    const reason: StopReason | null =
      step.latencyMs.p99 >= latencyLimitMs || !Number.isFinite(step.latencyMs.p99)
        ? 'p99 ≥ 100 ms'
        : step.completionsLost > 0
          ? 'events lost'
          : step.sentPerSecond < rate * 0.9
            ? 'worker could not keep up'
            : null;
    steps.push({ ...step, passed: reason === null });
    log(
      `  ${String(rate)} ev/s → ${String(step.deliveriesPerSecond)} deliveries/s, p99 ${num(step.latencyMs.p99)} ms, CPU ${num(step.server.cpuPercent)} %${reason ? ` (stop: ${reason})` : ''}`,
    );
    if (reason !== null) {
      stoppedBecause = reason;
      break;
    }
    best = step;
  }
  return {
    relay,
    steps,
    best,
    stoppedBecause,
    rssBeforeClients: session.idle.beforeClients.rssBytes,
    rssWithClients: session.idle.withClients.rssBytes,
  };
}

function toMarkdown(results: readonly FanOutResult[], stepMs: number, quick: boolean): string {
  const ours = results.find((result) => result.relay === 'queuewatch');
  const naive = results.find((result) => result.relay === 'naive-relay');
  const capacity = (result: FanOutResult | undefined): number | null =>
    result?.best?.deliveriesPerSecond ?? (result ? 0 : null);
  const versusNaive = ratio(capacity(ours), capacity(naive));
  const checks: TargetCheck[] = [
    {
      target: '≥ 500,000 deliveries/s at p99 < 100 ms, 1,000 clients',
      measured: `${num(capacity(ours), 0)} deliveries/s`,
      met: ours ? (capacity(ours) ?? 0) >= 500_000 : null,
    },
    {
      target: '≥ 5 × the naive relay',
      measured: `×${num(versusNaive)}`,
      met: versusNaive === null ? null : versusNaive >= 5,
    },
  ];
  const perCore = (step: StepResult | null): string =>
    step && step.server.cpuPercent > 0
      ? num(step.deliveriesPerSecond / (step.server.cpuPercent / 100), 0)
      : 'n/a';
  return [
    `## Fan-out capacity (${quick ? 'quick' : 'full'} run)`,
    '',
    `${String(clients)} socket.io-clients in two processes: 70 % follow one of ${String(jobs)} running jobs, 20 % the queue, 10 % every queue (${String(deliveriesPerEvent)} deliveries per progress event). The rate goes up in ${String(stepMs / 1000)} s steps and stops at the first step whose p99 ≥ ${String(latencyLimitMs)} ms or which loses a completion. Capacity = deliveries/s received in the last step that passed. CPU is the server process's own (process.cpuUsage, % of one core) in that step; "per core" = deliveries/s ÷ CPU share, what one core of this machine would carry. RSS per 1,000 clients = RSS with the 1,000 clients connected and subscribed − RSS before.`,
    '',
    targetsTable(checks),
    '',
    table(
      [
        'relay',
        'capacity deliveries/s',
        'at ev/s',
        'p99 ms',
        'server CPU %',
        'deliveries/s per core',
        'RSS per 1,000 clients',
        'RSS at capacity',
        'stopped because',
      ],
      results.map((result) => [
        result.relay,
        num(capacity(result), 0),
        num(result.best?.eventsPerSecond, 0),
        num(result.best?.latencyMs.p99, 2),
        num(result.best?.server.cpuPercent, 1),
        perCore(result.best),
        bytes(result.rssWithClients - result.rssBeforeClients),
        bytes(result.best?.server.rssBytes),
        result.stoppedBecause,
      ]),
    ),
    '',
    'Every step:',
    '',
    table(
      [
        'relay',
        'ev/s asked (sent)',
        'deliveries/s',
        'p50 ms',
        'p99 ms',
        'max ms',
        'progress delivered / expected',
        'completions lost',
        'server CPU %',
        'server GC %',
        'clients CPU %',
      ],
      results.flatMap((result) =>
        result.steps.map((step) => [
          result.relay,
          `${num(step.eventsPerSecond)} (${num(step.sentPerSecond, 0)})`,
          num(step.deliveriesPerSecond, 0),
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
