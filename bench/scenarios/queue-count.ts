import type { Redis } from 'ioredis';
import { bytes, num, table, targetsTable } from '../lib/markdown.js';
import { oneConnection, timedGet } from '../lib/http-latency.js';
import { RelaySession } from '../lib/relay-session.js';
import { profileArgs, type RunOptions, type ScenarioReport } from '../lib/scenario.js';
import { summarize, type LatencySummary } from '../lib/stats.js';
import { latencyPlan } from '../lib/subscription-plan.js';

/** One number of watched queues, measured. */
export interface QueueCountRow {
  readonly queues: number;
  /** From the process's spawn to its "listening" line. */
  readonly listeningMs: number;
  /** From the spawn until the health report lists every queue. */
  readonly allWatchedMs: number;
  /** Progress of the one busy queue, worker → the one subscribed client. */
  readonly progressMs: LatencySummary;
  /** `GET /api/v1/health/queues` as a client sees it, while the busy queue runs. */
  readonly healthMs: LatencySummary;
  readonly rssBytes: number;
  readonly cpuPercent: number;
}

const queueName = 'bench';
/** Jobs of the busy queue running at once; the rate is spread over them. */
const jobs = 100;
const eventsPerSecond = 1_000;
/** Health reads while the busy queue runs, one every 100 ms. */
const healthReads = 60;

/**
 * Many queues (a queue per tenant): Queuewatch finds N queues by itself — one busy, the others
 * idle (a BullMQ meta hash each, as a queue that once had a job) — and one client follows the busy
 * one. Measured per N: start-up, progress latency at 1,000 events/s, the health report as served
 * (one read every 100 ms during the load), and the process's RSS and CPU.
 */
export async function queueCount(
  redisUrl: string,
  options: RunOptions,
): Promise<ScenarioReport<{ rows: QueueCountRow[] }>> {
  const counts = options.quick ? [10, 1_000] : [10, 1_000, 10_000];
  const stepMs = options.quick ? 4_000 : 10_000;
  const rows: QueueCountRow[] = [];
  for (const queues of counts) {
    options.log(`queue count: ${num(queues)} queues…`);
    rows.push(await measure(redisUrl, options, queues, stepMs));
  }
  return { data: { rows }, markdown: toMarkdown(rows, stepMs, options.quick) };
}

async function measure(
  redisUrl: string,
  options: RunOptions,
  queues: number,
  stepMs: number,
): Promise<QueueCountRow> {
  const session = await RelaySession.open({
    redisUrl,
    relay: 'queuewatch',
    plan: latencyPlan(1, jobs, queueName),
    jobs,
    queueName,
    discover: true,
    seed: (admin) => seedIdleQueues(admin, queues - 1),
    serverNodeArgs: profileArgs(options.profileDir, `queue-count-${String(queues)}`),
  });
  try {
    const allWatchedMs = await untilAllWatched(session, queues);
    await session.warmUp(eventsPerSecond, 2_000);
    const [step, healthMs] = await Promise.all([
      session.step(eventsPerSecond, stepMs),
      readHealth(session.url),
    ]);
    return {
      queues,
      listeningMs: Math.round(session.started.listeningMs),
      allWatchedMs,
      progressMs: step.latencyMs,
      healthMs,
      rssBytes: step.server.rssBytes,
      cpuPercent: step.server.cpuPercent,
    };
  } finally {
    await session.close();
  }
}

/** `queues` idle queues, `tenant-<n>`: each a BullMQ meta hash, which discovery looks for. */
async function seedIdleQueues(admin: Redis, queues: number): Promise<void> {
  for (let first = 0; first < queues; first += 1_000) {
    const pipeline = admin.pipeline();
    for (let index = first; index < Math.min(queues, first + 1_000); index += 1) {
      pipeline.hset(`bull:tenant-${String(index)}:meta`, 'opts.maxLenEvents', '10000');
    }
    await pipeline.exec();
  }
}

/** Wait until the health report lists every queue; ms from the relay's spawn. */
async function untilAllWatched(session: RelaySession, queues: number): Promise<number> {
  const deadline = performance.now() + 120_000;
  while (performance.now() < deadline) {
    const response = await fetch(`${session.url}/api/v1/health/queues`);
    const body = (await response.json()) as { queues?: unknown[] };
    if ((body.queues?.length ?? 0) >= queues) {
      return Math.round(performance.now() - session.started.spawnedAt);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the health report did not list ${String(queues)} queues within 120 s`);
}

/** Health reads one every 100 ms, each timed as served (timedGet: to the body's last byte). */
async function readHealth(url: string): Promise<LatencySummary> {
  const latencies: number[] = [];
  const agent = oneConnection();
  try {
    for (let read = 0; read < healthReads; read += 1) {
      latencies.push((await timedGet(`${url}/api/v1/health/queues`, agent)).ms);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    agent.destroy();
  }
  return summarize(latencies);
}

function toMarkdown(rows: readonly QueueCountRow[], stepMs: number, quick: boolean): string {
  const base = rows.find((row) => row.queues === 10);
  const top = rows.at(-1);
  const within = (value: number | undefined, reference: number | undefined) =>
    value !== undefined && reference !== undefined ? value <= reference * 1.5 : null;
  const ratio = (value: number | undefined, reference: number | undefined) =>
    value !== undefined && reference !== undefined && reference > 0
      ? `×${num(value / reference)}`
      : 'n/a';
  const at = top ? `at ${num(top.queues)} queues` : '';
  return [
    `## Many queues: 10 to 10,000 watched (${quick ? 'quick' : 'full'} run)`,
    '',
    `Queuewatch discovers N queues — one busy, the rest idle (a BullMQ meta hash each) — and one client follows the busy one: ${num(jobs)} jobs at ${num(eventsPerSecond)} progress events/s for ${num(stepMs / 1000)} s after a 2 s warm-up, while a client reads \`/api/v1/health/queues\` every 100 ms (${num(healthReads)} reads, one kept-alive connection, a browser's \`Accept-Encoding\`, timed to the body's last byte). Start-up is from the spawn to the "listening" line, and to the first health report that lists every queue.`,
    '',
    targetsTable([
      {
        target: `progress p50 ${at} within 1.5× of 10 queues`,
        measured: `${num(top?.progressMs.p50)} ms vs ${num(base?.progressMs.p50)} ms (${ratio(top?.progressMs.p50, base?.progressMs.p50)})`,
        met: within(top?.progressMs.p50, base?.progressMs.p50),
      },
      {
        target: `progress p99 ${at} within 1.5× of 10 queues`,
        measured: `${num(top?.progressMs.p99)} ms vs ${num(base?.progressMs.p99)} ms (${ratio(top?.progressMs.p99, base?.progressMs.p99)})`,
        met: within(top?.progressMs.p99, base?.progressMs.p99),
      },
      {
        target: `health p99 as served ≤ 50 ms ${at}`,
        measured: `${num(top?.healthMs.p99)} ms`,
        met: top ? top.healthMs.p99 <= 50 : null,
      },
      {
        target: `RSS ≤ 250 MB ${at}`,
        measured: bytes(top?.rssBytes),
        met: top ? top.rssBytes <= 250 * 1024 * 1024 : null,
      },
      {
        target: `start-up to ready ≤ 2 s ${at}`,
        measured: top
          ? `${num(top.listeningMs)} ms to listening, ${num(top.allWatchedMs)} ms to every queue watched`
          : 'n/a',
        met: top ? top.allWatchedMs <= 2_000 : null,
      },
    ]),
    '',
    table(
      [
        'queues',
        'listening',
        'every queue watched',
        'progress p50 / p99 / max',
        'health p50 / p99 / max',
        'RSS',
        'CPU',
      ],
      rows.map((row) => [
        num(row.queues),
        `${num(row.listeningMs)} ms`,
        `${num(row.allWatchedMs)} ms`,
        `${num(row.progressMs.p50)} / ${num(row.progressMs.p99)} / ${num(row.progressMs.max)} ms`,
        `${num(row.healthMs.p50)} / ${num(row.healthMs.p99)} / ${num(row.healthMs.max)} ms`,
        bytes(row.rssBytes),
        `${num(row.cpuPercent)} %`,
      ]),
    ),
    '',
  ].join('\n');
}
