import { bytes, num, table, targetsTable } from '../lib/markdown.js';
import { RelaySession, type Relay, type StepResult } from '../lib/relay-session.js';
import { profileArgs, type RunOptions, type ScenarioReport } from '../lib/scenario.js';
import { mixPlan, type Mix } from '../lib/subscription-plan.js';

/** One relay's ramp with every client connected. */
export interface TenThousandRamp {
  readonly relay: Relay;
  readonly connectMs: number;
  readonly rssBeforeClients: number;
  readonly rssWithClients: number;
  readonly steps: readonly (StepResult & { readonly passed: boolean })[];
}

export interface TenThousandData {
  readonly clients: number;
  readonly clientProcesses: number;
  readonly ramps: readonly TenThousandRamp[];
  readonly stepMs: number;
}

const queueName = 'bench';
/** Few jobs, so a step at a few events/s still sees every job report within the step. */
const jobs = 10;
/** As in the fan-out scenario: 70 % follow one job, 20 % the queue, 10 % every queue. */
const mix: Mix = { job: 0.7, queue: 0.2 };
const latencyLimitMs = 100;

/**
 * Ten thousand dashboards on one instance, with batched delivery (the dashboard's protocol), and
 * the floor relay (raw XREAD → emit to rooms) with the same clients beside it: clients in
 * processes of 500, all connecting and subscribing at once (the connect storm), then the event
 * rate goes up in steps until a step's p99 reaches 100 ms, or a completion is lost, or the worker
 * cannot send that fast. Every process shares the machine's two cores.
 */
export async function tenThousandClients(
  redisUrl: string,
  options: RunOptions,
): Promise<ScenarioReport<TenThousandData>> {
  const clients = options.quick ? 2_000 : 10_000;
  const rates = options.quick ? [5, 10] : [1, 2, 5, 10, 20, 40, 80];
  const stepMs = options.quick ? 3_000 : 5_000;
  const ramps: TenThousandRamp[] = [];
  for (const relay of ['queuewatch-batched', 'floor'] as const) {
    options.log(`10,000 clients: ${num(clients)} clients of ${relay} connecting…`);
    ramps.push(await ramp(redisUrl, options, { relay, clients, rates, stepMs }));
  }
  const data: TenThousandData = {
    clients,
    clientProcesses: Math.ceil(clients / 500),
    ramps,
    stepMs,
  };
  return { data, markdown: toMarkdown(data, options.quick) };
}

async function ramp(
  redisUrl: string,
  options: RunOptions,
  setup: { relay: Relay; clients: number; rates: readonly number[]; stepMs: number },
): Promise<TenThousandRamp> {
  const { relay, clients, rates, stepMs } = setup;
  const session = await RelaySession.open({
    redisUrl,
    relay,
    plan: mixPlan(clients, jobs, queueName, mix),
    jobs,
    queueName,
    serverNodeArgs: profileArgs(options.profileDir, `ten-thousand-clients-${relay}`),
  });
  const steps: (StepResult & { passed: boolean })[] = [];
  try {
    await session.warmUp(5, 2_000);
    for (const rate of rates) {
      const step = await session.step(rate, stepMs);
      const passed =
        Number.isFinite(step.latencyMs.p99) &&
        step.latencyMs.p99 < latencyLimitMs &&
        step.completionsLost === 0 &&
        step.sentPerSecond >= rate * 0.9;
      steps.push({ ...step, passed });
      options.log(
        `  ${String(rate)} ev/s → ${String(step.deliveriesPerSecond)} deliveries/s, p99 ${num(step.latencyMs.p99)} ms, CPU ${num(step.server.cpuPercent)} %`,
      );
      if (!passed) break;
    }
  } finally {
    await session.close();
  }
  return {
    relay,
    connectMs: Math.round(session.started.connectMs),
    rssBeforeClients: session.idle.beforeClients.rssBytes,
    rssWithClients: session.idle.withClients.rssBytes,
    steps,
  };
}

/** The deliveries/s of a ramp's last step that passed, with its p99; or that none passed. */
function capacity(ramp: TenThousandRamp | undefined): string {
  if (!ramp) return 'not measured';
  const best = [...ramp.steps].reverse().find((step) => step.passed);
  if (best)
    return `${num(best.deliveriesPerSecond)} deliveries/s at p99 ${num(best.latencyMs.p99)} ms`;
  const first = ramp.steps[0];
  return first
    ? `no step passed (the first, ${num(first.eventsPerSecond)} ev/s: p99 ${num(first.latencyMs.p99)} ms)`
    : 'no step measured';
}

function toMarkdown(data: TenThousandData, quick: boolean): string {
  const queuewatch = data.ramps.find((ramp) => ramp.relay === 'queuewatch-batched');
  const floor = data.ramps.find((ramp) => ramp.relay === 'floor');
  return [
    `## ${num(data.clients)} clients on one instance (${quick ? 'quick' : 'full'} run)`,
    '',
    `${num(data.clients)} socket.io-clients in ${num(data.clientProcesses)} processes, 70 % following one of ${num(jobs)} jobs, 20 % the queue, 10 % every queue (${num((0.7 * data.clients) / jobs + 0.3 * data.clients)} deliveries per event); all connect and subscribe at once, then the ${num(jobs)} jobs report progress at rising rates, ${num(data.stepMs / 1000)} s a step, until p99 reaches ${num(latencyLimitMs)} ms. Queuewatch serves them batched delivery (the dashboard's protocol); the floor relay (raw XREAD → emit to rooms, no logic) serves the same clients one packet per event, in a run of its own. The clients, the worker, Redis and the relay share the machine's 2 cores: where the client processes take most of them, the latency is theirs as much as the server's. Each delivery is one write to one client's socket, and an event's writes are made one after another.`,
    '',
    targetsTable([
      {
        target: 'connect storm, RSS and fan-out capacity at p99 < 100 ms reported',
        measured: queuewatch
          ? `${num(queuewatch.connectMs)} ms to connect and subscribe all (floor ${floor ? `${num(floor.connectMs)} ms` : 'not measured'}); RSS ${bytes(queuewatch.rssBeforeClients)} → ${bytes(queuewatch.rssWithClients)} (floor ${floor ? `${bytes(floor.rssBeforeClients)} → ${bytes(floor.rssWithClients)}` : 'not measured'}); ${capacity(queuewatch)} (floor: ${capacity(floor)})`
          : 'not measured',
        met: queuewatch?.steps.some((step) => step.passed) ?? false,
      },
    ]),
    '',
    table(
      [
        'relay',
        'events/s',
        'deliveries/s',
        'packets/s',
        'p50',
        'p99',
        'server CPU',
        'client processes CPU',
        'RSS',
        'passed',
      ],
      data.ramps.flatMap((ramp) =>
        ramp.steps.map((step) => [
          ramp.relay,
          num(step.eventsPerSecond),
          num(step.deliveriesPerSecond),
          num(step.packetsPerSecond),
          `${num(step.latencyMs.p50)} ms`,
          `${num(step.latencyMs.p99)} ms`,
          `${num(step.server.cpuPercent)} %`,
          `${num(step.clientsCpuPercent)} %`,
          bytes(step.server.rssBytes),
          step.passed ? 'yes' : 'no',
        ]),
      ),
    ),
    '',
  ].join('\n');
}
