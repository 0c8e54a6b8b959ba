import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import {
  commandCounts,
  commandsBetween,
  topCommands,
  totalCalls,
  type CommandCounts,
} from '../lib/command-stats.js';
import { fillQueues, verifyThroughBullmq } from '../lib/fill-queues.js';
import {
  measureGet,
  measureGetInTurn,
  pollLikeDashboards,
  type HttpLatency,
} from '../lib/http-latency.js';
import {
  connectIdleWorkers,
  healthAnswers,
  healthPaths,
  healthServers,
  startHealthServer,
  startHealthServers,
  type HealthServer,
} from '../lib/health-servers.js';
import { redisCpuMs } from '../lib/process-cpu.js';
import { RedisServerProcess } from '../../src/demo/redis-server-process.js';
import type { RunOptions, ScenarioReport } from '../lib/scenario.js';
import { healthMarkdown } from './health-report.js';

/** One latency measure. */
export interface HealthLatencyRow {
  readonly server: HealthServer;
  readonly queues: number;
  readonly jobs: number;
  readonly latencyMs: HttpLatency;
  /** Redis commands per request (INFO commandstats over the measure ÷ requests). */
  readonly commandsPerRequest: number;
  /** redis-server's CPU per request (INFO cpu over the measure ÷ requests), in ms. */
  readonly redisCpuMsPerRequest: number;
}

/** Redis commands/s while dashboards poll. */
export interface PollingLoad {
  readonly queues: number;
  readonly jobs: number;
  readonly windowMs: number;
  /** Nobody polls: what the servers do by themselves (Queuewatch's background work). */
  readonly idlePerSecond: number;
  readonly idleTop: string;
  /** 10 dashboards poll Queuewatch every 2 s (its background included). */
  readonly queuewatchPerSecond: number;
  readonly queuewatchTop: string;
  readonly queuewatchRequests: number;
  /** 10 tabs poll bull-board every 5 s (idle rate taken off). */
  readonly bullBoardPerSecond: number;
  readonly bullBoardTop: string;
  readonly bullBoardRequests: number;
  /** The same, while workers process jobs on some of the queues. */
  readonly busy: BusyLoad;
}

/** Redis commands/s of the dashboards while some queues are busy (workers' own load taken off). */
export interface BusyLoad {
  readonly busyQueues: number;
  /** Jobs the workers finished per second over the three windows. */
  readonly jobsPerSecond: number;
  readonly windowMs: number;
  /** Workers at work, nobody polls: the workers' commands and Queuewatch's event reading. */
  readonly baselinePerSecond: number;
  readonly baselineTop: string;
  /** 10 dashboards poll Queuewatch (baseline taken off). */
  readonly queuewatchPerSecond: number;
  readonly queuewatchTop: string;
  readonly queuewatchRequests: number;
  /** 10 tabs poll bull-board (baseline taken off). */
  readonly bullBoardPerSecond: number;
  readonly bullBoardTop: string;
  readonly bullBoardRequests: number;
}

/** One side of the side-by-side measure: a Redis holding `jobs`, read in full. */
export interface SideReading {
  readonly jobs: number;
  readonly latencyMs: HttpLatency;
  readonly commandsPerRequest: number;
  readonly redisCpuMsPerRequest: number;
}

/**
 * Full reads of the same queues on two Redis servers at once, one holding few jobs and one many,
 * taken in turn (see measureGetInTurn): the growth with the jobs held, without the machine's
 * drift between two measures taken minutes apart.
 */
export interface SideBySide {
  readonly queues: number;
  readonly rounds: number;
  readonly perRound: number;
  readonly small: SideReading;
  readonly big: SideReading;
}

export interface HealthData {
  readonly rows: HealthLatencyRow[];
  readonly polling: PollingLoad | null;
  readonly sideBySide: SideBySide | null;
  readonly verified: string[];
}

const prefix = 'bull';
/** A Queuewatch dashboard polls health every 2 s; bull-board's UI polls every 5 s by default. */
const pollEveryMs = { queuewatch: 2_000, 'bull-board': 5_000 } as const;
const dashboards = 10;
/** Busy phase: workers on this many queues, each finishing this many jobs/s (BullMQ limiter). */
const busyQueues = 10;
const busyJobsPerSecond = 10;

/**
 * `GET /api/v1/health/queues` at 10 and 100 queues holding 1k … 1M jobs in total, beside
 * bull-board's `/api/queues` on the same Redis and data; then the Redis commands/s of 10
 * dashboards polling each, from INFO commandstats.
 */
export async function healthAtScale(
  redisUrl: string,
  options: RunOptions,
): Promise<ScenarioReport<HealthData>> {
  const queueCounts = options.quick ? [100] : [10, 100];
  const totals = options.quick ? [1_000, 100_000] : [1_000, 100_000, 1_000_000];
  const limits = options.quick
    ? { warmUp: 10, maxRequests: 200, maxMs: 1_500 }
    : { warmUp: 30, maxRequests: 1_000, maxMs: 8_000 };
  const admin = new Redis(redisUrl);
  const rows: HealthLatencyRow[] = [];
  const verified: string[] = [];
  let polling: PollingLoad | null = null;
  let sideBySide: SideBySide | null = null;
  try {
    for (const queues of queueCounts) {
      await admin.flushall();
      const names = Array.from(
        { length: queues },
        (_, index) => `health-${String(index).padStart(3, '0')}`,
      );
      const workers = await connectIdleWorkers(redisUrl, prefix, names);
      const servers = await startHealthServers(redisUrl, names, options.profileDir);
      try {
        let perQueue = 0;
        for (const jobs of totals) {
          options.log(`health: ${String(queues)} queues, ${String(jobs)} jobs…`);
          const target = Math.round(jobs / queues);
          await fillQueues(admin, prefix, names, perQueue, target);
          perQueue = target;
          const check = await verifyThroughBullmq(redisUrl, prefix, names[0] ?? '', perQueue);
          if (!check.ok) throw new Error(check.detail);
          verified.push(check.detail);
          for (const server of healthServers) {
            const before = await commandCounts(admin);
            const cpuBefore = await redisCpuMs(admin);
            const latencyMs = await measureGet(
              `${servers.urls[server]}${healthPaths[server]}`,
              limits,
              healthAnswers[server],
            );
            const cpu = (await redisCpuMs(admin)) - cpuBefore;
            const delta = commandsBetween(before, await commandCounts(admin));
            const requests = latencyMs.count + limits.warmUp;
            rows.push({
              server,
              queues,
              jobs,
              latencyMs,
              commandsPerRequest: Math.round(totalCalls(delta) / requests),
              redisCpuMsPerRequest: cpu / requests,
            });
            options.log(
              `  ${server}: p50 ${latencyMs.p50.toFixed(2)} ms, p99 ${latencyMs.p99.toFixed(2)} ms`,
            );
          }
        }
        if (queues === queueCounts[0]) {
          sideBySide = await measureSideBySide(
            admin,
            servers.urls['queuewatch-uncached'],
            names,
            { small: totals[0] ?? 0, big: totals.at(-1) ?? 0 },
            options,
          );
        }
        if (queues === queueCounts.at(-1)) {
          // Only the two that dashboards poll: the uncached one's background would count too.
          await servers.children['queuewatch-uncached'].stop();
          polling = await measurePolling(
            admin,
            redisUrl,
            servers.urls,
            names,
            totals.at(-1) ?? 0,
            options,
          );
        }
      } finally {
        await Promise.all(Object.values(servers.children).map((child) => child.stop()));
        for (const worker of workers) worker.disconnect();
      }
    }
  } finally {
    admin.disconnect();
  }
  const data = { rows, polling, sideBySide, verified };
  return { data, markdown: healthMarkdown(data, options.quick) };
}

/**
 * Full reads of `names` holding `jobs.big` in all (`bigAdmin`'s Redis, read by `bigUrl`) and, on
 * a second redis-server started here, the same queues holding `jobs.small`, with their own idle
 * workers and a full-read server of their own; then the two servers' reads taken in turn.
 */
async function measureSideBySide(
  bigAdmin: Redis,
  bigUrl: string,
  names: readonly string[],
  jobs: { readonly small: number; readonly big: number },
  options: RunOptions,
): Promise<SideBySide> {
  const limits = options.quick
    ? { warmUp: 10, rounds: 4, perRound: 50 }
    : { warmUp: 30, rounds: 20, perRound: 50 };
  options.log(
    `health: ${String(names.length)} queues, ${String(jobs.small)} and ${String(jobs.big)} jobs in turn…`,
  );
  const redis = await RedisServerProcess.launch();
  const smallAdmin = new Redis(redis.url);
  let workers: Redis[] = [];
  try {
    const perQueue = Math.round(jobs.small / names.length);
    await fillQueues(smallAdmin, prefix, names, 0, perQueue);
    const check = await verifyThroughBullmq(redis.url, prefix, names[0] ?? '', perQueue);
    if (!check.ok) throw new Error(check.detail);
    workers = await connectIdleWorkers(redis.url, prefix, names);
    const server = startHealthServer(
      'queuewatch-uncached',
      redis.url,
      names,
      options.profileDir,
      `health-side-by-side-${String(names.length)}`,
    );
    try {
      const smallUrl = (await server.ready)[1] ?? '';
      const path = healthPaths['queuewatch-uncached'];
      const smallBefore = await commandCounts(smallAdmin);
      const bigBefore = await commandCounts(bigAdmin);
      const smallCpu = await redisCpuMs(smallAdmin);
      const bigCpu = await redisCpuMs(bigAdmin);
      const [smallLatency, bigLatency] = await measureGetInTurn(
        [`${smallUrl}${path}`, `${bigUrl}${path}`],
        limits,
        healthAnswers['queuewatch-uncached'],
      );
      if (!smallLatency || !bigLatency) throw new Error('no latency measured');
      const requests = limits.warmUp + limits.rounds * limits.perRound;
      const cpuPerRequest = async (admin: Redis, before: number): Promise<number> =>
        ((await redisCpuMs(admin)) - before) / requests;
      const perRequest = async (admin: Redis, before: CommandCounts): Promise<number> =>
        Math.round(totalCalls(commandsBetween(before, await commandCounts(admin))) / requests);
      const small = {
        jobs: jobs.small,
        latencyMs: smallLatency,
        redisCpuMsPerRequest: await cpuPerRequest(smallAdmin, smallCpu),
        commandsPerRequest: await perRequest(smallAdmin, smallBefore),
      };
      const big = {
        jobs: jobs.big,
        latencyMs: bigLatency,
        redisCpuMsPerRequest: await cpuPerRequest(bigAdmin, bigCpu),
        commandsPerRequest: await perRequest(bigAdmin, bigBefore),
      };
      options.log(
        `  in turn: p50 ${small.latencyMs.p50.toFixed(2)} vs ${big.latencyMs.p50.toFixed(2)} ms, p99 ${small.latencyMs.p99.toFixed(2)} vs ${big.latencyMs.p99.toFixed(2)} ms`,
      );
      return { queues: names.length, rounds: limits.rounds, perRound: limits.perRound, small, big };
    } finally {
      await server.stop();
    }
  } finally {
    for (const worker of workers) worker.disconnect();
    smallAdmin.disconnect();
    await redis.dispose();
  }
}

/**
 * Three windows at rest (nobody polls, 10 dashboards poll Queuewatch, 10 tabs poll bull-board),
 * then the same three while workers process jobs on some of the queues.
 */
async function measurePolling(
  admin: Redis,
  redisUrl: string,
  urls: Record<HealthServer, string>,
  names: readonly string[],
  jobs: number,
  options: RunOptions,
): Promise<PollingLoad> {
  const queues = names.length;
  const windowMs = options.quick ? 5_000 : 30_000;
  const idleMs = options.quick ? 2_000 : 10_000;
  options.log(`health: Redis commands/s with ${String(dashboards)} dashboards…`);
  const window = (poll: () => Promise<number>) => commandWindow(admin, poll);
  const idle = await window(async () => {
    await new Promise((resolve) => setTimeout(resolve, idleMs));
    return 0;
  });
  const ours = await window(() =>
    pollLikeDashboards(
      `${urls.queuewatch}${healthPaths.queuewatch}`,
      dashboards,
      pollEveryMs.queuewatch,
      windowMs,
    ),
  );
  const theirs = await window(() =>
    pollLikeDashboards(
      `${urls['bull-board']}${healthPaths['bull-board']}`,
      dashboards,
      pollEveryMs['bull-board'],
      windowMs,
    ),
  );
  const idlePerSecond = rate(totalCalls(idle.delta), idle.seconds);
  const busy = await measureBusy(admin, redisUrl, urls, names.slice(0, busyQueues), options);
  return {
    queues,
    jobs,
    windowMs,
    idlePerSecond,
    idleTop: topCommands(idle.delta, 5),
    queuewatchPerSecond: rate(totalCalls(ours.delta), ours.seconds),
    queuewatchTop: topCommands(ours.delta, 6),
    queuewatchRequests: ours.requests,
    bullBoardPerSecond: Math.max(0, rate(totalCalls(theirs.delta), theirs.seconds) - idlePerSecond),
    bullBoardTop: topCommands(theirs.delta, 6),
    bullBoardRequests: theirs.requests,
    busy,
  };
}

function rate(calls: number, seconds: number): number {
  return Math.round((calls / seconds) * 10) / 10;
}

/** Commands and requests over one window of `poll`. */
async function commandWindow(
  admin: Redis,
  poll: () => Promise<number>,
): Promise<{ delta: CommandCounts; requests: number; seconds: number }> {
  const before = await commandCounts(admin);
  const started = performance.now();
  const requests = await poll();
  const seconds = (performance.now() - started) / 1000;
  return { delta: commandsBetween(before, await commandCounts(admin)), requests, seconds };
}

/**
 * Workers on `busyNames` (rate-limited, so the load stays level) and a producer keeping their
 * backlogs full, then: nobody polls, 10 dashboards poll Queuewatch, 10 tabs poll bull-board.
 * The first window is the baseline taken off the other two.
 */
async function measureBusy(
  admin: Redis,
  redisUrl: string,
  urls: Record<HealthServer, string>,
  busyNames: readonly string[],
  options: RunOptions,
): Promise<BusyLoad> {
  const windowMs = options.quick ? 3_000 : 20_000;
  options.log(`health: Redis commands/s with ${String(busyNames.length)} busy queues…`);
  const connection = { url: redisUrl };
  let finished = 0;
  const workers = busyNames.map((name) => {
    const worker = new Worker(
      name,
      () => new Promise((resolve) => setTimeout(resolve, 20, 'done')),
      { connection, concurrency: 1, limiter: { max: busyJobsPerSecond, duration: 1_000 } },
    );
    worker.on('completed', () => (finished += 1));
    return worker;
  });
  const producers = busyNames.map((name) => new Queue(name, { connection }));
  const produce = setInterval(() => {
    for (const producer of producers) void producer.add('busy', {});
  }, 1_000 / busyJobsPerSecond);
  try {
    // Let the workers reach their level before measuring.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const startedAt = performance.now();
    const finishedBefore = finished;
    const sleep = async (): Promise<number> => {
      await new Promise((resolve) => setTimeout(resolve, windowMs));
      return 0;
    };
    const baseline = await commandWindow(admin, sleep);
    const ours = await commandWindow(admin, () =>
      pollLikeDashboards(
        `${urls.queuewatch}${healthPaths.queuewatch}`,
        dashboards,
        pollEveryMs.queuewatch,
        windowMs,
      ),
    );
    const theirs = await commandWindow(admin, () =>
      pollLikeDashboards(
        `${urls['bull-board']}${healthPaths['bull-board']}`,
        dashboards,
        pollEveryMs['bull-board'],
        windowMs,
      ),
    );
    const jobsPerSecond = rate(finished - finishedBefore, (performance.now() - startedAt) / 1000);
    const baselinePerSecond = rate(totalCalls(baseline.delta), baseline.seconds);
    const above = (window: { delta: CommandCounts; seconds: number }): number =>
      Math.max(0, rate(totalCalls(window.delta), window.seconds) - baselinePerSecond);
    return {
      busyQueues: busyNames.length,
      jobsPerSecond,
      windowMs,
      baselinePerSecond,
      baselineTop: topCommands(baseline.delta, 5),
      queuewatchPerSecond: above(ours),
      queuewatchTop: topCommands(ours.delta, 6),
      queuewatchRequests: ours.requests,
      bullBoardPerSecond: above(theirs),
      bullBoardTop: topCommands(theirs.delta, 6),
      bullBoardRequests: theirs.requests,
    };
  } finally {
    clearInterval(produce);
    await Promise.all(workers.map((worker) => worker.close(true)));
    await Promise.all(producers.map((producer) => producer.close()));
  }
}
