import { bytes, num, table, targetsTable } from '../lib/markdown.js';
import { RelaySession, type StepResult } from '../lib/relay-session.js';
import { profileArgs, type RunOptions, type ScenarioReport } from '../lib/scenario.js';
import { mixPlan, type Mix } from '../lib/subscription-plan.js';

export interface TenThousandData {
  readonly clients: number;
  readonly clientProcesses: number;
  readonly connectMs: number;
  readonly rssBeforeClients: number;
  readonly rssWithClients: number;
  readonly steps: readonly (StepResult & { readonly passed: boolean })[];
  readonly stepMs: number;
}

const queueName = 'bench';
/** Few jobs, so a step at a few events/s still sees every job report within the step. */
const jobs = 10;
/** As in the fan-out scenario: 70 % follow one job, 20 % the queue, 10 % every queue. */
const mix: Mix = { job: 0.7, queue: 0.2 };
const latencyLimitMs = 100;

/**
 * Ten thousand dashboards on one instance, with batched delivery (the dashboard's protocol):
 * clients in processes of 500, all connecting and subscribing at once (the connect storm), then
 * the event rate goes up in steps until a step's p99 reaches 100 ms, or a completion is lost, or
 * the worker cannot send that fast. Every process shares the machine's two cores.
 */
export async function tenThousandClients(
  redisUrl: string,
  options: RunOptions,
): Promise<ScenarioReport<TenThousandData>> {
  const clients = options.quick ? 2_000 : 10_000;
  const rates = options.quick ? [5, 10] : [2, 5, 10, 20, 40, 80];
  const stepMs = options.quick ? 3_000 : 5_000;
  options.log(`10,000 clients: ${num(clients)} batched clients connecting…`);
  const session = await RelaySession.open({
    redisUrl,
    relay: 'queuewatch-batched',
    plan: mixPlan(clients, jobs, queueName, mix),
    jobs,
    queueName,
    serverNodeArgs: profileArgs(options.profileDir, 'ten-thousand-clients'),
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
  const data: TenThousandData = {
    clients,
    clientProcesses: Math.ceil(clients / 500),
    connectMs: Math.round(session.started.connectMs),
    rssBeforeClients: session.idle.beforeClients.rssBytes,
    rssWithClients: session.idle.withClients.rssBytes,
    steps,
    stepMs,
  };
  return { data, markdown: toMarkdown(data, options.quick) };
}

function toMarkdown(data: TenThousandData, quick: boolean): string {
  const best = [...data.steps].reverse().find((step) => step.passed);
  return [
    `## ${num(data.clients)} clients on one instance (${quick ? 'quick' : 'full'} run)`,
    '',
    `${num(data.clients)} socket.io-clients in ${num(data.clientProcesses)} processes, batched delivery (the dashboard's protocol), 70 % following one job, 20 % the queue, 10 % every queue; all connect and subscribe at once, then ${num(jobs)} jobs report progress at rising rates, ${num(data.stepMs / 1000)} s a step, until p99 reaches ${num(latencyLimitMs)} ms. The clients, the worker, Redis and Queuewatch share the machine's 2 cores: where the client processes take most of them, the latency is theirs as much as the server's.`,
    '',
    targetsTable([
      {
        target: 'connect storm, RSS and fan-out capacity at p99 < 100 ms reported',
        measured: `${num(data.connectMs)} ms to connect and subscribe all; RSS ${bytes(data.rssBeforeClients)} → ${bytes(data.rssWithClients)}; ${best ? `${num(best.deliveriesPerSecond)} deliveries/s at p99 ${num(best.latencyMs.p99)} ms` : 'no step passed'}`,
        met: best !== undefined,
      },
    ]),
    '',
    table(
      [
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
      data.steps.map((step) => [
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
    '',
  ].join('\n');
}
