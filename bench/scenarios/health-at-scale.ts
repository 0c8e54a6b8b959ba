import { Redis } from 'ioredis';
import {
  commandCounts,
  commandsBetween,
  topCommands,
  totalCalls,
  type CommandCounts,
} from '../lib/command-stats.js';
import { fillQueues, verifyThroughBullmq } from '../lib/fill-queues.js';
import { measureGet, pollLikeDashboards, type HttpLatency } from '../lib/http-latency.js';
import {
  connectIdleWorkers,
  healthAnswers,
  healthPaths,
  healthServers,
  startHealthServers,
  type HealthServer,
} from '../lib/health-servers.js';
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
}

export interface HealthData {
  readonly rows: HealthLatencyRow[];
  readonly polling: PollingLoad | null;
  readonly verified: string[];
}

const prefix = 'bull';
/** A Queuewatch dashboard polls health every 2 s; bull-board's UI polls every 5 s by default. */
const pollEveryMs = { queuewatch: 2_000, 'bull-board': 5_000 } as const;
const dashboards = 10;

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
            const latencyMs = await measureGet(
              `${servers.urls[server]}${healthPaths[server]}`,
              limits,
              healthAnswers[server],
            );
            const delta = commandsBetween(before, await commandCounts(admin));
            const requests = latencyMs.count + limits.warmUp;
            rows.push({
              server,
              queues,
              jobs,
              latencyMs,
              commandsPerRequest: Math.round(totalCalls(delta) / requests),
            });
            options.log(
              `  ${server}: p50 ${latencyMs.p50.toFixed(2)} ms, p99 ${latencyMs.p99.toFixed(2)} ms`,
            );
          }
        }
        if (queues === queueCounts.at(-1)) {
          // Only the two that dashboards poll: the uncached one's background would count too.
          await servers.children['queuewatch-uncached'].stop();
          polling = await measurePolling(admin, servers.urls, queues, totals.at(-1) ?? 0, options);
        }
      } finally {
        await Promise.all(Object.values(servers.children).map((child) => child.stop()));
        for (const worker of workers) worker.disconnect();
      }
    }
  } finally {
    admin.disconnect();
  }
  const data = { rows, polling, verified };
  return { data, markdown: healthMarkdown(data, options.quick) };
}

/** Three windows: nobody polls, 10 dashboards poll Queuewatch, 10 tabs poll bull-board. */
async function measurePolling(
  admin: Redis,
  urls: Record<HealthServer, string>,
  queues: number,
  jobs: number,
  options: RunOptions,
): Promise<PollingLoad> {
  const windowMs = options.quick ? 5_000 : 30_000;
  const idleMs = options.quick ? 2_000 : 10_000;
  options.log(`health: Redis commands/s with ${String(dashboards)} dashboards…`);
  const window = async (
    poll: () => Promise<number>,
  ): Promise<{ delta: CommandCounts; requests: number; seconds: number }> => {
    const before = await commandCounts(admin);
    const started = performance.now();
    const requests = await poll();
    const seconds = (performance.now() - started) / 1000;
    return { delta: commandsBetween(before, await commandCounts(admin)), requests, seconds };
  };
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
  const rate = (calls: number, seconds: number): number => Math.round((calls / seconds) * 10) / 10;
  const idlePerSecond = rate(totalCalls(idle.delta), idle.seconds);
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
  };
}
