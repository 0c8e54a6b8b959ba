import { Redis } from 'ioredis';
import type { AlertsBody } from '../../src/application/contract/alerts.js';
import type { FailedJobStatsBody } from '../../src/application/contract/failed-jobs.js';
import { checkAlertNotices, type AlertCheck } from '../lib/alert-notice-check.js';
import { startChild, type Child, type IpcMessage } from '../lib/child.js';
import {
  checkDeadLetters,
  type DeadLetterCheck,
  type FailedAttempts,
} from '../lib/dead-letter-check.js';
import type { FailureSchedule } from '../lib/failure-schedule.js';
import { memoryTrend, type MemoryTrend } from '../lib/memory-trend.js';
import { profileArgs, type RunOptions, type ScenarioReport } from '../lib/scenario.js';
import { soakDestination, writeSoakConfig } from '../lib/soak-config.js';
import { startWebhookReceiver, type WebhookReceiver } from '../lib/webhook-receiver.js';
import { countEventLoss, type EventLoss } from './soak-event-loss.js';
import { SoakProbe, type LoadStats, type SoakSample } from './soak-probe.js';
import { soakMarkdown } from './soak-report.js';

/** How clients ask for their events: one packet per event, or Queuewatch's opt-in batches. */
export type SoakDelivery = 'event' | 'batch';

/** What the soak ran with. */
export interface SoakSetup {
  readonly durationMs: number;
  readonly warmUpMs: number;
  readonly sampleEveryMs: number;
  /** A full-GC heap reading every this many ms (the other samples read without a GC). */
  readonly gcEveryMs: number;
  readonly ratePerSecond: number;
  readonly attempts: number;
  readonly clients: number;
  readonly clientProcesses: number;
  readonly delivery: SoakDelivery;
  readonly schedule: FailureSchedule;
  readonly queueName: string;
}

export interface SoakData {
  readonly setup: SoakSetup;
  /** When the load started, ms since the epoch. */
  readonly loadStartedAt: number;
  /** With the clients connected and subscribed, just before the load (after a full GC). */
  readonly baseline: SoakSample;
  readonly samples: readonly SoakSample[];
  /** Once everything drained and every alert resolved (after a full GC). */
  readonly final: SoakSample;
  /** The load's counters once it stopped adding and every job had finished. */
  readonly loadEnd: LoadStats & { readonly drained: boolean };
  readonly events: EventLoss;
  readonly deadLetters: DeadLetterCheck & { readonly apiSize: number | null };
  readonly alerts: AlertCheck;
  /** ms from the end of the drain until every alert had resolved and been delivered. */
  readonly alertsSettledMs: number | null;
  readonly memory: { readonly liveHeap: MemoryTrend; readonly rss: MemoryTrend };
}

const queueName = 'soak';
const sentinelJobId = 'soak-sentinel';
const deadLetterQueue = 'failed-jobs';
const clientsPerProcess = 100;

/** The soak's shape: `minutes` of load in a full run, about one minute in a quick one. */
export function soakSetup(quick: boolean, minutes: number, delivery: SoakDelivery): SoakSetup {
  const durationMs = quick ? 60_000 : Math.round(minutes * 60_000);
  return {
    durationMs,
    warmUpMs: quick ? 15_000 : Math.min(300_000, Math.round(durationMs / 3)),
    // A quick run samples twice as often, so it still has samples taken without a GC.
    sampleEveryMs: quick ? 5_000 : 10_000,
    gcEveryMs: quick ? 10_000 : 60_000,
    ratePerSecond: 500,
    attempts: 3,
    clients: 200,
    clientProcesses: Math.ceil(200 / clientsPerProcess),
    delivery,
    schedule: quick
      ? { steadyShare: 0.1, burstShare: 0.7, everyMs: 20_000, firstAtMs: 8_000, lastsMs: 6_000 }
      : { steadyShare: 0.1, burstShare: 0.7, everyMs: 120_000, firstAtMs: 60_000, lastsMs: 20_000 },
    queueName,
  };
}

/**
 * Soak: Queuewatch (with --expose-gc) on a private Redis for `durationMs` at 500 jobs/s with
 * retries and failure bursts, 200 clients following the queue. Samples memory and CPU every 10 s;
 * then stops the load, waits for every job, a sentinel job at every client and every alert to
 * resolve, and counts: events each client received against what the workers produced, dead-letter
 * records against the failed attempts the workers saw, and webhook notices against Queuewatch's
 * alert log.
 */
export async function soak(
  redisUrl: string,
  options: RunOptions,
): Promise<ScenarioReport<SoakData>> {
  const setup = soakSetup(options.quick, options.soakMinutes, options.soakDelivery);
  const receiver = await startWebhookReceiver();
  const config = await writeSoakConfig(queueName, receiver);
  const admin = new Redis(redisUrl);
  const children: Child[] = [];
  try {
    const server = startChild(
      'queuewatch-server',
      {
        REDIS_URL: redisUrl,
        QUEUEWATCH_CONFIG: config.path,
        QUEUEWATCH_QUEUES: queueName,
        QUEUEWATCH_INSTANCE_ID: 'soak',
      },
      /listening (http:\/\/\S+)\n/,
      { ipc: true, nodeArgs: ['--expose-gc', ...profileArgs(options.profileDir, 'soak')] },
    );
    const load = startChild(
      'soak-load',
      { REDIS_URL: redisUrl, SOAK_QUEUE: queueName, SOAK_SENTINEL: sentinelJobId },
      /ready\n/,
      { ipc: true },
    );
    const pools = Array.from({ length: setup.clientProcesses }, () =>
      startChild('event-counting-clients', {}, /ready\n/, { ipc: true }),
    );
    children.push(server, load, ...pools);
    const [match] = await Promise.all([server.ready, load.ready, ...pools.map((p) => p.ready)]);
    const url = match[1] ?? '';
    options.log(`soak: connecting ${String(setup.clients)} clients (${setup.delivery} delivery)…`);
    await connectClients(pools, url, setup);
    return await run(setup, { server, load, pools, admin, url, receiver, redisUrl, options });
  } finally {
    await Promise.all(children.map((child) => child.stop()));
    admin.disconnect();
    await receiver.close();
    await config.dispose();
  }
}

interface Parts {
  readonly server: Child;
  readonly load: Child;
  readonly pools: readonly Child[];
  readonly admin: Redis;
  readonly url: string;
  readonly receiver: WebhookReceiver;
  readonly redisUrl: string;
  readonly options: RunOptions;
}

async function run(setup: SoakSetup, parts: Parts): Promise<ScenarioReport<SoakData>> {
  const { server, load, pools, admin, url, receiver, redisUrl, options } = parts;
  const probe = new SoakProbe(server, load, pools, admin, url);
  const baseline = await probe.sample(true);
  const loadStartedAt = probe.markLoadStart();
  const loadStartedEpoch = Date.now();
  load.process.send({
    type: 'start',
    ratePerSecond: setup.ratePerSecond,
    attempts: setup.attempts,
    schedule: setup.schedule,
  });
  options.log(
    `soak: ${String(setup.durationMs / 60_000)} min at ${String(setup.ratePerSecond)} jobs/s…`,
  );
  const samples: SoakSample[] = [];
  for (let at = setup.sampleEveryMs; at <= setup.durationMs; at += setup.sampleEveryMs) {
    await sleep(loadStartedAt + at - performance.now());
    const sample = await probe.sample(at % setup.gcEveryMs === 0);
    samples.push(sample);
    if (sample.server.collected) options.log(progressLine(sample));
  }
  options.log('soak: load stopped, waiting for every job to finish…');
  const drainStarted = performance.now();
  const loadEnd = await load.ask<LoadStats & { drained: boolean } & IpcMessage>(
    { type: 'stop' },
    'stopped',
    200_000,
  );
  await load.ask({ type: 'sentinel' }, 'sentinel-done', 60_000);
  await waitFor(
    async () =>
      (await probe.poolCounts()).reduce((sum, pool) => sum + pool.sawSentinel, 0) >= setup.clients,
    60_000,
  );
  const events = countEventLoss(loadEnd, await probe.poolCounts());
  options.log(
    `soak: drained in ${String(Math.round((performance.now() - drainStarted) / 1000))} s; waiting for alerts to resolve…`,
  );
  const settleStarted = performance.now();
  const settled = await waitFor(() => alertsSettled(url, receiver), 90_000);
  const alertsSettledMs = settled ? Math.round(performance.now() - settleStarted) : null;
  const alerts = checkAlertNotices(
    receiver.notices,
    await getJson<AlertsBody>(`${url}/api/v1/alerts?limit=500`),
    soakDestination,
  );
  const final = await probe.sample(true);
  options.log('soak: reading the dead-letter queue…');
  const ledger = await load.ask<{ type: 'ledger'; entries: FailedAttempts }>(
    { type: 'ledger' },
    'ledger',
    120_000,
  );
  const deadLetters = {
    ...(await checkDeadLetters(
      redisUrl,
      deadLetterQueue,
      queueName,
      ledger.entries,
      setup.attempts,
    )),
    apiSize: (await getJson<FailedJobStatsBody>(`${url}/api/v1/jobs/failed/stats`)).deadLetterQueue
      .size,
  };
  const warmUpS = setup.warmUpMs / 1000;
  const memory = {
    liveHeap: memoryTrend(
      samples
        .filter((sample) => sample.server.collected)
        .map((sample) => ({ atS: sample.atS, bytes: sample.server.heapUsedBytes })),
      warmUpS,
    ),
    rss: memoryTrend(
      samples.map((sample) => ({ atS: sample.atS, bytes: sample.server.rssBytes })),
      warmUpS,
    ),
  };
  const data: SoakData = {
    setup,
    loadStartedAt: loadStartedEpoch,
    baseline,
    samples,
    final,
    loadEnd,
    events,
    deadLetters,
    alerts,
    alertsSettledMs,
    memory,
  };
  return { data, markdown: soakMarkdown(data, options.quick) };
}

async function connectClients(pools: readonly Child[], url: string, setup: SoakSetup) {
  const replies = await Promise.all(
    pools.map((pool, index) =>
      pool.ask<{ type: 'connected'; failed: number }>(
        {
          type: 'connect',
          url,
          queueName: setup.queueName,
          clients: Math.min(clientsPerProcess, setup.clients - index * clientsPerProcess),
          delivery: setup.delivery,
          sentinelJobId,
        },
        'connected',
        120_000,
      ),
    ),
  );
  const failed = replies.reduce((sum, reply) => sum + reply.failed, 0);
  if (failed > 0) throw new Error(`${String(failed)} clients could not connect and subscribe`);
}

/** Every incident resolved, its notices delivered, and Queuewatch sees no alert firing. */
async function alertsSettled(url: string, receiver: WebhookReceiver): Promise<boolean> {
  const stats = await getJson<FailedJobStatsBody>(`${url}/api/v1/jobs/failed/stats`);
  if (stats.monitoredQueues.some((queue) => queue.alert.status !== 'ok')) return false;
  const log = await getJson<AlertsBody>(`${url}/api/v1/alerts?limit=500`);
  const check = checkAlertNotices(receiver.notices, log, soakDestination);
  return check.unresolved === 0 && check.loggedNotReceived === 0;
}

function progressLine(sample: SoakSample): string {
  const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  const rate = sample.atS > 0 ? Math.round(sample.load.added / sample.atS) : 0;
  return `  ${String(Math.round(sample.atS))} s: ${String(rate)} jobs/s added so far, RSS ${mib(sample.server.rssBytes)}, live heap ${mib(sample.server.heapUsedBytes)}`;
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`GET ${url} answered ${String(response.status)}`);
  return (await response.json()) as T;
}

async function waitFor(check: () => Promise<boolean>, limitMs: number): Promise<boolean> {
  const deadline = performance.now() + limitMs;
  while (performance.now() < deadline) {
    if (await check()) return true;
    await sleep(500);
  }
  return false;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
