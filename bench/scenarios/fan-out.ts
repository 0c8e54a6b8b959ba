import { num } from '../lib/markdown.js';
import { RelaySession, type Relay, type StepResult } from '../lib/relay-session.js';
import { profileArgs, type RunOptions, type ScenarioReport } from '../lib/scenario.js';
import { mixPlan, type Mix } from '../lib/subscription-plan.js';
import { fanOutMarkdown } from './fan-out-report.js';

/** Why a ramp stopped. */
export type StopReason = 'p99 ≥ 100 ms' | 'events lost' | 'worker could not keep up' | 'last step';

/** One ramp of one relay. */
export interface FanOutRamp {
  readonly relay: Relay;
  /** 1, 2, 3: relays take turns, so a busy minute of the machine does not hit one relay only. */
  readonly round: number;
  readonly steps: readonly (StepResult & { readonly passed: boolean })[];
  /** The last step that passed, or `null` when the first one failed. */
  readonly best: StepResult | null;
  readonly stoppedBecause: StopReason;
  /** Server RSS before any client connected, and with the 1,000 idle clients subscribed. */
  readonly rssBeforeClients: number;
  readonly rssWithClients: number;
}

export interface FanOutData {
  readonly setup: typeof fanOutSetup;
  readonly ramps: FanOutRamp[];
  readonly relays: Relay[];
  readonly stepMs: number;
  readonly rates: number[];
}

const queueName = 'bench';
const fanOutSetup = {
  jobs: 100,
  clients: 1_000,
  /** 70 % follow one job, 20 % the queue, 10 % every queue: 7 + 200 + 100 deliveries per event. */
  deliveriesPerEvent: 7 + 200 + 100,
  latencyLimitMs: 100,
} as const;
const mix: Mix = { job: 0.7, queue: 0.2 };

/**
 * Fan-out capacity: 1,000 clients with a mix of job, queue and all subscriptions; the event rate
 * goes up in steps until a step's p99 reaches 100 ms, or a completion is lost, or the worker
 * cannot send that fast. The capacity is the deliveries/s of the last step that passed. Where
 * a ramp stops moves by a step from one run to the next, so a full run ramps each relay three
 * times, relays taking turns, and reports the median.
 */
export async function fanOutCapacity(
  redisUrl: string,
  options: RunOptions,
): Promise<ScenarioReport<FanOutData>> {
  // Queuewatch twice: its default protocol (one packet per event) and the opt-in batched delivery
  // (one packet per tick); same server, only the clients' `auth.delivery` differs.
  // A quick run (under two minutes in all) leaves out the per-event protocol: it is at the
  // naive relay's level in every full run.
  const relays: Relay[] = options.quick
    ? ['queuewatch-batched', 'naive-relay']
    : ['queuewatch', 'queuewatch-batched', 'floor', 'naive-relay'];
  // 1.5× apart (2× in a quick run) from 6,000 deliveries/s (12,000 quick: a step lasts at least
  // one report interval, 100 jobs ÷ rate, so low rates are slow) up to 830,000 (550,000 quick,
  // whose last step is the target's 1,800 ev/s).
  const rates = options.quick
    ? [40, 80, 160, 320, 640, 1_280, 1_800]
    : [20, 30, 45, 70, 100, 150, 230, 350, 520, 780, 1_200, 1_800, 2_700];
  const stepMs = options.quick ? 2_000 : 5_000;
  const rounds = options.quick ? 1 : 3;
  const ramps: FanOutRamp[] = [];
  for (let round = 1; round <= rounds; round += 1) {
    for (const relay of relays) {
      options.log(
        `fan-out: ${relay}, ${String(fanOutSetup.clients)} clients, round ${String(round)}…`,
      );
      ramps.push(await ramp(redisUrl, options, relay, round, rates, stepMs));
    }
  }
  const data = { setup: fanOutSetup, ramps, relays, stepMs, rates };
  return { data, markdown: fanOutMarkdown(data, options.quick) };
}

async function ramp(
  redisUrl: string,
  options: RunOptions,
  relay: Relay,
  round: number,
  rates: readonly number[],
  stepMs: number,
): Promise<FanOutRamp> {
  const { jobs, clients, latencyLimitMs } = fanOutSetup;
  const session = await RelaySession.open({
    redisUrl,
    relay,
    plan: mixPlan(clients, jobs, queueName, mix),
    jobs,
    queueName,
    serverNodeArgs: profileArgs(options.profileDir, `fan-out-${relay}-${String(round)}`),
  });
  const steps: (StepResult & { passed: boolean })[] = [];
  let best: StepResult | null = null;
  let stoppedBecause: StopReason = 'last step';
  try {
    // A rate the relays carry easily, long enough for every job to report once.
    await session.warmUp(100, 1_000);
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
      options.log(
        `  ${String(rate)} ev/s → ${String(step.deliveriesPerSecond)} deliveries/s in ${String(step.packetsPerSecond)} packets/s, p99 ${num(step.latencyMs.p99)} ms, CPU ${num(step.server.cpuPercent)} %${reason ? ` (stop: ${reason})` : ''}`,
      );
      if (reason !== null) {
        stoppedBecause = reason;
        break;
      }
      best = step;
    }
  } finally {
    await session.close();
  }
  return {
    relay,
    round,
    steps,
    best,
    stoppedBecause,
    rssBeforeClients: session.idle.beforeClients.rssBytes,
    rssWithClients: session.idle.withClients.rssBytes,
  };
}
