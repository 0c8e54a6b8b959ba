import { num } from '../lib/markdown.js';
import { RelaySession, type Relay, type StepResult } from '../lib/relay-session.js';
import { profileArgs, type RunOptions, type ScenarioReport } from '../lib/scenario.js';
import { latencyPlan } from '../lib/subscription-plan.js';
import { progressMarkdown } from './progress-report.js';

/** One measured step: a relay, a number of clients, a rate. */
export interface LatencyRow extends StepResult {
  readonly relay: Relay;
  readonly clients: number;
}

export interface LatencyData {
  /** The matrix: every relay × number of clients × rate. */
  readonly rows: LatencyRow[];
  /** The target cell (1,000 ev/s × 100 clients), every run of it, interleaved across relays. */
  readonly targetRuns: LatencyRow[];
  readonly stepMs: number;
}

const queueName = 'bench';
/** Jobs running at once; the rate is spread over them. */
const jobs = 100;
/** Queuewatch twice: its default per-event protocol, and batched delivery as the dashboard uses it. */
const relays: readonly Relay[] = ['queuewatch', 'queuewatch-batched', 'floor', 'naive-relay'];
const targetCell = { clients: 100, eventsPerSecond: 1_000 } as const;
const warmUpMs = 1_000;

/**
 * Progress latency from `job.updateProgress()` in a worker process to `job-progress` at a
 * Socket.IO client, Queuewatch beside the floor and the naive relay. One session (relay, worker,
 * client processes) per relay and number of clients; the rates are steps of that session. A
 * p99 of 10,000 samples moves with whatever else the machine does, so a full run measures the
 * target cell twice more, relays taking turns, and judges the target on the medians.
 */
export async function progressLatency(
  redisUrl: string,
  options: RunOptions,
): Promise<ScenarioReport<LatencyData>> {
  const rates = options.quick ? [targetCell.eventsPerSecond] : [100, 1_000, 5_000];
  const clientCounts = options.quick ? [targetCell.clients] : [1, 100, 1_000];
  const stepMs = options.quick ? 4_000 : 10_000;
  const rows: LatencyRow[] = [];
  for (const clients of clientCounts) {
    for (const relay of relays) {
      rows.push(...(await session(redisUrl, options, relay, clients, rates, stepMs)));
    }
  }
  const targetRuns = rows.filter(isTargetCell);
  for (let repeat = 0; repeat < (options.quick ? 0 : 2); repeat += 1) {
    for (const relay of relays) {
      const rates = [targetCell.eventsPerSecond];
      targetRuns.push(
        ...(await session(redisUrl, options, relay, targetCell.clients, rates, stepMs)),
      );
    }
  }
  const data = { rows, targetRuns, stepMs };
  return { data, markdown: progressMarkdown(data, relays, jobs, warmUpMs, options.quick) };
}

function isTargetCell(row: LatencyRow): boolean {
  return row.clients === targetCell.clients && row.eventsPerSecond === targetCell.eventsPerSecond;
}

async function session(
  redisUrl: string,
  options: RunOptions,
  relay: Relay,
  clients: number,
  rates: readonly number[],
  stepMs: number,
): Promise<LatencyRow[]> {
  options.log(`progress latency: ${relay}, ${String(clients)} clients…`);
  const opened = await RelaySession.open({
    redisUrl,
    relay,
    plan: latencyPlan(clients, jobs, queueName),
    jobs,
    queueName,
    serverNodeArgs: profileArgs(options.profileDir, `progress-${relay}-${String(clients)}`),
  });
  const rows: LatencyRow[] = [];
  try {
    await opened.warmUp(rates[0] ?? 1_000, warmUpMs);
    for (const rate of rates) {
      const step = await opened.step(rate, stepMs);
      options.log(
        `  ${String(rate)} ev/s: p50 ${num(step.latencyMs.p50)} ms, p99 ${num(step.latencyMs.p99)} ms, ${String(step.completionsLost)} completions lost`,
      );
      rows.push({ relay, clients, ...step });
    }
  } finally {
    await opened.close();
  }
  return rows;
}
