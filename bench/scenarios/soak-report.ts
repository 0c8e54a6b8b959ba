import { cpus } from 'node:os';
import { burstsWithin } from '../lib/failure-schedule.js';
import { bytes, num, table, targetsTable } from '../lib/markdown.js';
import { growthAllowance, type MemoryTrend } from '../lib/memory-trend.js';
import { soakDeadLetter, soakFailureRule } from '../lib/soak-config.js';
import { usageBetween } from '../lib/usage-reporter.js';
import type { SoakData } from './soak.js';
import type { SoakSample } from './soak-probe.js';

/** Rates and CPU shares between two samples. */
interface Interval {
  readonly addedPerSecond: number;
  readonly finishedPerSecond: number;
  readonly failedAttemptsPerSecond: number;
  readonly queuewatch: { cpuPercent: number; loopPercent: number; gcPercent: number };
  readonly redisPercent: number;
  readonly loadPercent: number;
  readonly clientsPercent: number;
  readonly benchPercent: number;
  /** The whole machine, % of one core (up to 100 × cores). */
  readonly machinePercent: number | null;
}

function between(a: SoakSample, b: SoakSample): Interval {
  const wallS = Math.max(0.001, (b.benchAtMs - a.benchAtMs) / 1000);
  const perSecond = (delta: number): number => Math.round((delta / wallS) * 10) / 10;
  const percent = (deltaMs: number, ms = wallS * 1000): number =>
    Math.round((deltaMs / Math.max(1, ms)) * 1000) / 10;
  const finished = (s: SoakSample): number => s.load.completed + s.load.finalFailures;
  return {
    addedPerSecond: perSecond(b.load.added - a.load.added),
    finishedPerSecond: perSecond(finished(b) - finished(a)),
    failedAttemptsPerSecond: perSecond(b.load.failedAttempts - a.load.failedAttempts),
    queuewatch: usageBetween(a.server, b.server),
    redisPercent: percent((b.redis.cpuSeconds - a.redis.cpuSeconds) * 1000),
    loadPercent: percent(b.load.cpuMs - a.load.cpuMs, b.load.atMs - a.load.atMs),
    clientsPercent: percent(b.clientsCpuMs - a.clientsCpuMs),
    benchPercent: percent(b.benchCpuMs - a.benchCpuMs),
    // Clock ticks are 1/100 s: ticks ÷ seconds is already % of one core.
    machinePercent:
      a.machineTicks === null || b.machineTicks === null
        ? null
        : perSecond(b.machineTicks - a.machineTicks),
  };
}

/** The soak section: checks, memory verdict, the table over time, CPU, incidents. */
export function soakMarkdown(data: SoakData, quick: boolean): string {
  const { setup, events, deadLetters: dlq, alerts, memory } = data;
  const last = data.samples.at(-1) ?? data.baseline;
  const whole = between(data.baseline, last);
  const bursts = burstsWithin(setup.schedule, setup.durationMs);
  const cores = cpus().length;
  const s = (ms: number): string => num(ms / 1000, 0);
  return [
    `## Soak (${quick ? 'quick' : 'full'} run: ${num(setup.durationMs / 60_000, 1)} min of load)`,
    '',
    `Queuewatch (\`startQueuewatch\`, --expose-gc) on a private Redis; a producer adds ${String(setup.ratePerSecond)} jobs/s and a BullMQ worker (concurrency 50, 2–10 ms per attempt) runs them with \`attempts: ${String(setup.attempts)}\`, retried at once, both in a process of their own. ${String(setup.schedule.steadyShare * 100)} % of attempts fail, ${String(setup.schedule.burstShare * 100)} % during a ${s(setup.schedule.lastsMs)} s burst every ${s(setup.schedule.everyMs)} s (the first at ${s(setup.schedule.firstAtMs)} s: ${String(bursts)} bursts). The queue's rule fires at ${String(soakFailureRule.rate * 100)} % of finished attempts failing over ${s(soakFailureRule.windowMs)} s (from ${String(soakFailureRule.minVolume)} on) and resolves below half that; its one destination is a Standard Webhooks receiver in the bench. Dead-letter retention: ${num(soakDeadLetter.maxCount)} records, 7 days (nothing pruned during a run). ${String(setup.clients)} socket.io-clients in ${String(setup.clientProcesses)} processes follow the queue (\`subscribe-to-queue\`, ${setup.delivery === 'batch' ? "batched delivery, `auth.delivery: 'batch'`" : 'one packet per event'}). After the load: every job finishes, a sentinel job must reach every client, every alert must resolve; then the counts. ${String(cores)} cores shared by Redis, Queuewatch, the load, the clients and the bench.`,
    '',
    targetsTable([
      {
        target: `${String(setup.ratePerSecond)} jobs/s sustained`,
        measured: `${num(whole.addedPerSecond, 1)} jobs/s added, ${num(whole.finishedPerSecond, 1)} finished (+ ${num(whole.failedAttemptsPerSecond, 1)} failed attempts/s); ${data.loadEnd.drained ? 'every job finished after the load' : '**the backlog did not drain**'}; stalled ${num(data.loadEnd.stalled)}, worker errors ${num(data.loadEnd.errors)}`,
        met: whole.finishedPerSecond >= setup.ratePerSecond * 0.95 && data.loadEnd.drained,
      },
      {
        target: 'no job-completed / job-failed event lost, at any client',
        measured: `${num(events.lost)} lost, ${num(events.extra)} extra of ${num(events.expected)} (${num(events.completions)} completions + ${num(events.failedAttempts)} failed attempts × ${String(events.clients)} clients; missed per client on average: ${num(events.completionsLost / Math.max(1, events.clients), 1)} completions, ${num(events.failuresLost / Math.max(1, events.clients), 1)} failures); ${String(events.clientsExact)} clients exact, worst client −${num(events.worstClientLost)}; sentinel at ${String(events.sawSentinel)} clients; ${String(events.disconnects)} disconnects`,
        met: events.lost === 0 && events.extra === 0 && events.sawSentinel === events.clients,
      },
      {
        target: 'one dead-letter record per failed attempt, with its attempt number and willRetry',
        measured: `${num(dlq.records)} records for ${num(dlq.failedAttemptsSeen)} failed attempts the worker saw (API size ${num(dlq.apiSize)}); missing ${num(dlq.missing)}, duplicates ${num(dlq.duplicates)}, unexpected attempt ${num(dlq.unexpected)}, wrong willRetry ${num(dlq.wrongWillRetry)}, other queues ${num(dlq.otherRecords)}`,
        met:
          dlq.records === dlq.failedAttemptsSeen &&
          dlq.missing + dlq.duplicates + dlq.unexpected + dlq.wrongWillRetry === 0,
      },
      {
        target: 'each incident: firing then resolved, delivered once, as the alert log says',
        measured: `${String(alerts.incidents.length)} incidents for ${String(bursts)} bursts; ${String(alerts.firing)} firing + ${String(alerts.resolved)} resolved notices, duplicates ${String(alerts.duplicates)}, out of order ${String(alerts.outOfOrder)}, unresolved ${String(alerts.unresolved)}, bad signatures ${String(alerts.badSignatures)}; alert log ${String(alerts.logged)} (delivered ${String(alerts.loggedDelivered)}, not received ${String(alerts.loggedNotReceived)}, received but not logged ${String(alerts.receivedNotLogged)})`,
        met:
          alerts.incidents.length > 0 &&
          alerts.duplicates + alerts.outOfOrder + alerts.unresolved + alerts.badSignatures === 0 &&
          alerts.loggedNotReceived + alerts.receivedNotLogged === 0 &&
          alerts.loggedDelivered === alerts.logged,
      },
    ]),
    '',
    ...(dlq.examples.length > 0
      ? [`Dead-letter mismatches, first few: ${dlq.examples.join('; ')}.`, '']
      : []),
    `Records whose reason is \`(unknown: …)\` (the job was removed before Queuewatch read a retried attempt; documented): ${num(dlq.reasonUnknown)}. Alerts settled ${data.alertsSettledMs === null ? '**not within 90 s**' : `${s(data.alertsSettledMs)} s`} after the drain.`,
    '',
    memoryVerdict('Live heap (after a full GC)', memory.liveHeap, setup.warmUpMs),
    '',
    memoryVerdict('RSS (every sample)', memory.rss, setup.warmUpMs),
    '',
    `Over time, one row per full-GC reading (memory: the highest of the ${num(setup.sampleEveryMs / 1000, 0)} s samples since the row before, heapUsed without a GC, and the live heap after a full GC at that moment; rates and CPU since the row before; machine = every process and interrupt on the machine, % of one core, ${String(cores * 100)} = all cores busy):`,
    '',
    overTime(data, cores),
    '',
    `CPU over the whole load (% of one core): Queuewatch ${num(whole.queuewatch.cpuPercent, 1)} (event loop busy ${num(whole.queuewatch.loopPercent, 1)}, GC pauses ${num(whole.queuewatch.gcPercent, 1)}), Redis ${num(whole.redisPercent, 1)}, load process ${num(whole.loadPercent, 1)}, clients ${num(whole.clientsPercent, 1)}, bench ${num(whole.benchPercent, 1)}; the machine ${num(whole.machinePercent, 1)} of ${String(cores * 100)}, of which others (and interrupts) ${num(whole.machinePercent === null ? null : whole.machinePercent - whole.queuewatch.cpuPercent - whole.redisPercent - whole.loadPercent - whole.clientsPercent - whole.benchPercent, 1)}.`,
    '',
    incidents(data),
    '',
    healthSeen(data),
    '',
  ].join('\n');
}

function memoryVerdict(what: string, trend: MemoryTrend, warmUpMs: number): string {
  const rule = `rule: after a ${num(warmUpMs / 1000, 0)} s warm-up, the mean of the last third of the readings against the first third; growth beyond ${String(growthAllowance.share * 100)} % (and ${bytes(growthAllowance.floorBytes)}) counts`;
  if (trend.verdict === 'too few readings')
    return `**${what}:** too few readings after the warm-up to judge (${String(trend.readings)}; ${rule}).`;
  const growth = trend.growth ?? 0;
  const sign = growth >= 0 ? '+' : '−';
  const share = trend.firstThird ? (Math.abs(growth) / trend.firstThird) * 100 : 0;
  const slope = trend.slopePerHour ?? 0;
  return `**${what}: ${trend.verdict === 'no growth' ? 'no growth after warm-up' : 'grows after warm-up'}** — first third ${bytes(trend.firstThird)}, last third ${bytes(trend.lastThird)} (${sign}${bytes(Math.abs(growth))}, ${sign}${num(share, 1)} %); least-squares slope ${slope >= 0 ? '+' : '−'}${bytes(Math.abs(slope))}/h over ${String(trend.readings)} readings, reported, not judged (little over a short run) (${rule}).`;
}

function overTime(data: SoakData, cores: number): string {
  const { setup } = data;
  const shown = [data.baseline, ...data.samples.filter((sample) => sample.server.collected)];
  const lastSample = data.samples.at(-1);
  if (lastSample && !lastSample.server.collected) shown.push(lastSample);
  shown.push(data.final);
  const phaseOf = (sample: SoakSample, index: number): string => {
    if (index === 0) return 'before load';
    if (sample === data.final) return 'after drain';
    return sample.atS * 1000 < setup.warmUpMs ? 'warm-up' : 'measured';
  };
  return table(
    [
      't s',
      'phase',
      'added/s',
      'finished/s',
      'failed attempts/s',
      'backlog',
      'Queuewatch CPU %',
      `machine CPU % (of ${String(cores * 100)})`,
      'RSS (max)',
      'heapUsed (max, no GC)',
      'live heap (full GC)',
      'Redis memory',
    ],
    shown.map((sample, index) => {
      const previous = shown[index - 1];
      const interval = previous ? between(previous, sample) : null;
      // The 10 s samples since the row before, this one included: their highest readings.
      const within = [
        ...data.samples.filter(
          (one) =>
            one.benchAtMs > (previous?.benchAtMs ?? Number.POSITIVE_INFINITY) &&
            one.benchAtMs <= sample.benchAtMs,
        ),
        sample,
      ];
      const uncollected = within
        .filter((one) => !one.server.collected)
        .map((one) => one.server.heapUsedBytes);
      return [
        num(sample.atS, 0),
        phaseOf(sample, index),
        num(interval?.addedPerSecond, 0),
        num(interval?.finishedPerSecond, 0),
        num(interval?.failedAttemptsPerSecond, 0),
        num(sample.load.added - sample.load.completed - sample.load.finalFailures),
        num(interval?.queuewatch.cpuPercent, 1),
        num(interval?.machinePercent, 0),
        bytes(Math.max(...within.map((one) => one.server.rssBytes))),
        bytes(uncollected.length === 0 ? null : Math.max(...uncollected)),
        sample.server.collected ? bytes(sample.server.heapUsedBytes) : 'n/a',
        bytes(sample.redis.usedMemoryBytes),
      ];
    }),
  );
}

function incidents(data: SoakData): string {
  const { alerts } = data;
  if (alerts.incidents.length === 0) return 'No alert incident was notified.';
  const at = (ms: number): string => num((ms - data.loadStartedAt) / 1000, 0);
  return [
    'Incidents as the webhook receiver saw them (s since the load started):',
    '',
    table(
      ['incident', 'notices', 'first s', 'last s', 'in order'],
      alerts.incidents.map((incident) => [
        `\`${incident.alertId}\``,
        incident.statuses.join(' → '),
        at(incident.firstAt),
        at(incident.lastAt),
        incident.inOrder ? 'yes' : '**no**',
      ]),
    ),
  ].join('\n');
}

function healthSeen(data: SoakData): string {
  const counts = new Map<string, number>();
  for (const sample of data.samples)
    for (const code of sample.healthIssues) counts.set(code, (counts.get(code) ?? 0) + 1);
  if (counts.size === 0) return 'Health issues seen while sampling: none.';
  const list = [...counts]
    .map(([code, times]) => `\`${code}\` in ${String(times)} of ${String(data.samples.length)}`)
    .join(', ');
  const missed = counts.has('EVENTS_MISSED')
    ? " `EVENTS_MISSED` means Queuewatch's event reader fell so far behind that BullMQ trimmed the queue's event stream (about 10,000 entries, a few seconds at this rate) before it was read: events and dead-letter records lost then are the documented kind (docs/guarantees.md), not a silent loss."
    : '';
  return `Health issues seen in \`GET /api/v1/health/queues\` while sampling: ${list}.${missed}`;
}
