import { Redis } from 'ioredis';
import { startChild, type Child } from '../lib/child.js';
import {
  followSearch,
  interleave,
  readSlowlog,
  resetSlowlog,
  settle,
  type FollowedSearch,
  type Measured,
  type SlowCommands,
} from '../lib/console-measures.js';
import {
  checkCounts,
  orderIdOf,
  seed,
  seedPlan,
  type SeedPlan,
  type SeedResult,
} from '../lib/console-seed.js';
import {
  bullBoardRetryAll,
  failAgain,
  queuewatchRetryAll,
  type RetryOutcome,
} from '../lib/console-retry.js';
import { startDisturbanceMeter, type Disturbance } from '../lib/machine.js';
import type { RunOptions, ScenarioReport } from '../lib/scenario.js';
import type { LatencySummary } from '../lib/stats.js';
import { consoleMarkdown } from './console-report.js';

/** One read measured on both, interleaved. */
export interface ReadRow {
  readonly read: string;
  readonly queuewatch: Measured;
  /** `null`: bull-board has no such call. */
  readonly bullBoard: Measured | null;
}

/** A data search followed to its end while the PING loop runs. */
export interface SearchRun extends FollowedSearch {
  readonly pingMs: LatencySummary | null;
  readonly slow: SlowCommands;
  readonly load: Disturbance;
}

/** A retry of every failed job of the big queue while the PING loop runs. */
export interface RetryAllRun {
  readonly server: 'queuewatch' | 'bull-board';
  /** From the request to the end of the work (Queuewatch: its operation says `done`). */
  readonly ms: number | null;
  readonly retried: number | null;
  readonly status: string | null;
  readonly pingMs: LatencySummary | null;
  readonly slow: SlowCommands;
  readonly load: Disturbance;
  readonly error: string | null;
}

export interface ConsoleData {
  readonly plan: SeedPlan;
  readonly seed: Omit<SeedResult, 'bigFailedIds'>;
  readonly idlePingMs: LatencySummary | null;
  readonly reads: ReadRow[];
  /** How busy the machine was while the reads were measured (the servers count as the bench). */
  readonly readsLoad: Disturbance;
  readonly search: { readonly needle: string; readonly runs: SearchRun[] };
  readonly retryAll: RetryAllRun[];
  /** Redis commands slower than this were recorded (SLOWLOG) in the search and retry phases. */
  readonly slowlogThresholdMs: number;
}

const slowlogThresholdMs = 2;

/**
 * The operator console beside bull-board, on the same Redis and data: 100 queues / 1M jobs
 * (`--scale=small`: 10 / 20,000) seeded through BullMQ, one queue with 100,000 failed jobs. The
 * reads a console makes, interleaved; a data search over every failed job of the big queue and a
 * retry of all of them, each with Redis's own latency measured by a PING loop beside it.
 */
export async function consoleScenario(
  redisUrl: string,
  options: RunOptions,
): Promise<ScenarioReport<ConsoleData>> {
  const plan = seedPlan(options.consoleScale);
  const small = plan.scale === 'small';
  const { log } = options;
  log(`console: seeding ${String(plan.queues.length)} queues, ${String(plan.totalJobs)} jobs…`);
  const seeded = await seed(redisUrl, plan, log);
  log(
    `console: seeded in ${(seeded.ms / 1000).toFixed(1)} s (${String(seeded.jobsPerSecond)} jobs/s)`,
  );
  const wrong = checkCounts(plan, seeded);
  if (wrong !== null) throw new Error(wrong);
  const admin = new Redis(redisUrl);
  const env = { REDIS_URL: redisUrl, QUEUEWATCH_QUEUES: plan.queues.join(',') };
  const listening = /listening (http:\/\/\S+)\n/;
  const children: Child[] = [];
  try {
    const queuewatch = startChild('queuewatch-server', env, listening, { ipc: true });
    children.push(queuewatch);
    const bullBoard = startChild('bull-board-server', env, listening, { ipc: true });
    children.push(bullBoard);
    const pinger = startChild('ping-loop', env, /ready\n/, { ipc: true });
    children.push(pinger);
    const [qwMatch, bbMatch] = await Promise.all([queuewatch.ready, bullBoard.ready, pinger.ready]);
    const qw = qwMatch[1] ?? '';
    const bb = bbMatch[1] ?? '';
    // Redis works for the bench too: its CPU is not someone else's.
    const redisPid = Number(/process_id:(\d+)/.exec(await admin.info('server'))?.[1]);
    const pids = [...children.flatMap((child) => child.process.pid ?? []), redisPid];
    const pingWindow: PingWindow = async (work) => {
      const rate = await settle(admin);
      log(`console:   Redis at ${String(rate)} commands/s before the window`);
      await resetSlowlog(admin, slowlogThresholdMs);
      const meter = startDisturbanceMeter(pids);
      await pinger.ask({ type: 'begin' }, 'begun');
      const outcome = await work().then(
        (result) => ({ result }),
        (error: unknown) => ({ error }),
      );
      const ended = await pinger.ask<{ type: string; summary: LatencySummary | null }>(
        { type: 'end' },
        'pings',
      );
      const load = meter();
      if ('error' in outcome) throw outcome.error;
      return {
        result: outcome.result,
        pingMs: ended.summary,
        slow: await readSlowlog(admin),
        load,
      };
    };
    log('console: Redis PING at rest…');
    const idle = await pingWindow(() => new Promise((resolve) => setTimeout(resolve, 2_000)));
    await settle(admin);
    const readsMeter = startDisturbanceMeter(pids);
    const reads = await measureReads(qw, bb, plan, seeded, small, log);
    const readsLoad = readsMeter();
    const needle = orderIdOf(Math.floor(plan.big.failed / 2));
    const runs: SearchRun[] = [];
    for (let run = 0; run < (small ? 2 : 3); run += 1) {
      log(`console: data search for "${needle}" over ${plan.bigQueue}'s failed jobs…`);
      const url = `${qw}/api/v1/queues/${plan.bigQueue}/search?state=failed&data=${needle}&scanLimit=${String(plan.big.failed)}`;
      const { result, pingMs, slow, load } = await pingWindow(() => followSearch(url));
      runs.push({ ...result, pingMs, slow, load });
      if (result.error !== null) break;
    }
    const retryAll: RetryAllRun[] = [];
    log(`console: Queuewatch retries all ${String(plan.big.failed)} failed jobs…`);
    retryAll.push(await measureRetry('queuewatch', () => queuewatchRetryAll(qw, plan), pingWindow));
    if (await failAgain(redisUrl, plan, log)) {
      log(`console: bull-board retries all ${String(plan.big.failed)} failed jobs…`);
      retryAll.push(
        await measureRetry('bull-board', () => bullBoardRetryAll(bb, plan), pingWindow),
      );
    }
    const data: ConsoleData = {
      plan,
      seed: { ms: seeded.ms, jobsPerSecond: seeded.jobsPerSecond, counts: seeded.counts },
      idlePingMs: idle.pingMs,
      reads,
      readsLoad,
      search: { needle, runs },
      retryAll,
      slowlogThresholdMs,
    };
    return { data, markdown: consoleMarkdown(data) };
  } finally {
    await Promise.all(children.map((child) => child.stop()));
    admin.disconnect();
  }
}

/** The reads of an operator's console, each on both servers, interleaved. */
async function measureReads(
  qw: string,
  bb: string,
  plan: SeedPlan,
  seeded: SeedResult,
  small: boolean,
  log: (line: string) => void,
): Promise<ReadRow[]> {
  const limits = small
    ? { warmUp: 5, rounds: 100, maxMs: 8_000 }
    : { warmUp: 20, rounds: 1_000, maxMs: 60_000 };
  const ids = seeded.bigFailedIds;
  // A different job each round, in an order that jumps around the set.
  const idAt = (round: number): string => ids[(round * 7_919) % ids.length] ?? '1';
  const other = plan.queues[1] ?? plan.bigQueue;
  const failedPage = (queue: string, failed: number): string =>
    `first page of 50 failed, ${queue} (${failed.toLocaleString('en-US')} failed)`;
  const reads: {
    read: string;
    qw: (round: number) => string;
    bb: ((round: number) => string) | null;
  }[] = [
    {
      read: failedPage(plan.bigQueue, plan.big.failed),
      qw: () => `${qw}/api/v1/queues/${plan.bigQueue}/jobs?state=failed&limit=50`,
      // What bull-board's UI asks when it shows a queue's failed jobs (50 a page).
      bb: () => `${bb}/api/queues?activeQueue=${plan.bigQueue}&status=failed&page=1&jobsPerPage=50`,
    },
    {
      read: failedPage(other, plan.other.failed),
      qw: () => `${qw}/api/v1/queues/${other}/jobs?state=failed&limit=50`,
      bb: () => `${bb}/api/queues?activeQueue=${other}&status=failed&page=1&jobsPerPage=50`,
    },
    {
      read: 'job detail (a failed job)',
      qw: (round) => `${qw}/api/v1/queues/${plan.bigQueue}/jobs/${idAt(round)}/details`,
      bb: (round) => `${bb}/api/queues/${plan.bigQueue}/${idAt(round)}`,
    },
    {
      read: `search by id (${String(plan.queues.length)} queues)`,
      qw: (round) => `${qw}/api/v1/jobs?id=${idAt(round)}`,
      bb: null,
    },
  ];
  const measured: ReadRow[] = [];
  for (const { read, qw: ours, bb: theirs } of reads) {
    log(`console: ${read}…`);
    const targets = [{ label: 'queuewatch', url: ours }];
    if (theirs !== null) targets.push({ label: 'bull-board', url: theirs });
    const [queuewatch, bullBoard] = await interleave(targets, limits);
    measured.push({
      read,
      queuewatch: queuewatch ?? pending('queuewatch'),
      bullBoard: theirs === null ? null : (bullBoard ?? pending('bull-board')),
    });
  }
  return measured;
}

function pending(label: string): Measured {
  return { label, latencyMs: null, bodyBytes: 0, error: 'not measured' };
}

type PingWindow = <T>(work: () => Promise<T>) => Promise<{
  result: T;
  pingMs: LatencySummary | null;
  slow: SlowCommands;
  load: Disturbance;
}>;

async function measureRetry(
  server: RetryAllRun['server'],
  retry: () => Promise<RetryOutcome>,
  pingWindow: PingWindow,
): Promise<RetryAllRun> {
  const started = performance.now();
  const { result, pingMs, slow, load } = await pingWindow(retry);
  const ms = result.error === null ? performance.now() - started : null;
  return { server, ms, ...result, pingMs, slow, load };
}
