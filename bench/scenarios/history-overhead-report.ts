import { num, table, targetsTable } from '../lib/markdown.js';
import { median, ratio } from '../lib/stats.js';
import type { HistoryMode, OverheadData, OverheadWindow } from './history-overhead.js';

/**
 * The history-overhead section: targets on the medians of each mode's windows, what history
 * adds in Redis, then every window with the machine's load beside it.
 */
export function historyOverheadMarkdown(
  data: OverheadData,
  how: { readonly warmUpMs: number; readonly windowMs: number; readonly quick: boolean },
): string {
  const of = (mode: HistoryMode): OverheadWindow[] =>
    data.windows.filter((window) => window.mode === mode);
  const medianOf = (mode: HistoryMode, pick: (window: OverheadWindow) => number | null) =>
    median(of(mode).map(pick));
  const cpu = (mode: HistoryMode) => medianOf(mode, (window) => window.queuewatchCpuPercent);
  const command = (mode: HistoryMode, name: string) =>
    medianOf(mode, (window) => window.perCommand[name] ?? 0) ?? 0;
  const cpuRatio = ratio(cpu('history'), cpu('no-history'));
  const events = median(data.windows.map((window) => window.eventsPerSecond)) ?? 0;
  const jobs = median(data.windows.map((window) => window.jobsPerSecond)) ?? 0;
  const evalsha = command('history', 'evalsha') - command('no-history', 'evalsha');
  // Round trips: the EVALSHA calls history adds, a difference of two medians of about a thousand
  // BullMQ calls a second (the bench cannot tell one script's calls from another's). Beside it,
  // exactly, how often each queue was recorded: the history script reads each queue's oldest
  // waiting job with one LINDEX, and nothing else here calls LINDEX. A call records every due
  // queue, so it is at most one round trip per queue recorded.
  const roundTrips = evalsha / data.queues;
  const recordings = (command('history', 'lindex') - command('no-history', 'lindex')) / data.queues;
  const evalCalls = command('history', 'eval') - command('no-history', 'eval');
  const total =
    (medianOf('history', (window) => window.commandsPerSecond) ?? 0) -
    (medianOf('no-history', (window) => window.commandsPerSecond) ?? 0);
  const redisCpu = (mode: HistoryMode) => medianOf(mode, (window) => window.redisCpuPercent);
  const others = data.windows.map((window) => window.otherCpuPercent ?? 0);
  const differing = commandDifferences(data.windows);
  return [
    `## History overhead (${how.quick ? 'quick' : 'full'} run)`,
    '',
    `Real BullMQ producers and workers on ${String(data.queues)} queues, ${num(data.jobsPerSecondAsked)} jobs/s in all (${num(events / (jobs || 1), 1)} stream events a job: added, waiting, active, completed, and drained), running throughout. Queuewatch runs in turns, one process at a time, with history (the default) and with \`{"history":{"enabled":false}}\` in its config file (\`QUEUEWATCH_CONFIG\`); turns alternate (on, off, off, on, …). Each turn starts a fresh Queuewatch, waits ${num(how.warmUpMs / 1000)} s, then measures ${num(how.windowMs / 1000)} s: Queuewatch's CPU from /proc/<pid>/stat, Redis's from INFO cpu, Redis commands from INFO commandstats (commands run inside Lua scripts counted too). Figures are medians over each mode's turns. "Others" is every process on the machine but the bench, Queuewatch and Redis, in % of one core, in the same window.${how.quick ? ' **Quick run**: few short turns; judge the CPU target on a full run (3 rounds of 60 s) on a quiet machine.' : ''}`,
    '',
    targetsTable([
      {
        target: 'history costs ≤ 5 % more Queuewatch CPU at ~1,000 events/s',
        measured: `${num(cpu('history'), 1)} % vs ${num(cpu('no-history'), 1)} % of a core: ×${num(cpuRatio)} at ${num(events, 0)} events/s`,
        met: cpuRatio === null ? null : cpuRatio <= 1.05,
      },
      {
        target: 'O(1) Redis calls per event batch per queue, not per event',
        measured: `≈ ${num(roundTrips, 2)} history round trips (EVALSHA) per queue per second at ${num(events / data.queues, 0)} events/s per queue; each queue recorded ${num(recordings, 2)} times a second (one call records every due queue)`,
        met: evalsha === 0 ? null : roundTrips <= 1.1,
      },
    ]),
    '',
    table(
      ['what history adds (with − without)', 'per second', 'per 1,000 events'],
      [
        ['EVALSHA calls (Redis round trips)', num(evalsha, 1), num(per1000(evalsha, events), 1)],
        ['EVAL calls', num(evalCalls, 1), num(per1000(evalCalls, events), 1)],
        [
          'queues recorded (LINDEX calls: one per queue a run records)',
          num(recordings * data.queues, 1),
          num(per1000(recordings * data.queues, events), 1),
        ],
        [
          'all commands, those inside scripts included',
          num(total, 0),
          num(per1000(total, events), 0),
        ],
        [
          'Redis CPU, % of a core',
          `${num(redisCpu('history'), 1)} − ${num(redisCpu('no-history'), 1)}`,
          '',
        ],
      ],
    ),
    '',
    `Commands whose rate differs most between the modes (calls/s with − without; inside the history script these run per event, in one round trip per batch): ${differing}.`,
    '',
    table(
      [
        'turn',
        'history',
        'Queuewatch CPU %',
        'Redis CPU %',
        'events/s',
        'jobs/s',
        'EVALSHA/s',
        'commands/s',
        'bench CPU %',
        'others CPU %',
      ],
      data.windows.map((window) => [
        String(window.round),
        window.mode === 'history' ? 'on' : 'off',
        num(window.queuewatchCpuPercent, 1),
        num(window.redisCpuPercent, 1),
        num(window.eventsPerSecond, 0),
        num(window.jobsPerSecond, 0),
        num(window.perCommand.evalsha ?? 0, 0),
        num(window.commandsPerSecond, 0),
        num(window.benchCpuPercent, 1),
        num(window.otherCpuPercent, 1),
      ]),
    ),
    '',
    `Others used ${num(Math.min(...others), 1)}–${num(Math.max(...others), 1)} % of one core during the windows${Math.max(...others) >= 10 ? ' (**a busy machine**: CPU figures are noisy, and the ratio more than the absolute figures can be trusted, as both modes shared the disturbance in turns)' : ''}.`,
    '',
  ].join('\n');
}

function commandDifferences(windows: readonly OverheadWindow[]): string {
  const names = new Set(windows.flatMap((window) => Object.keys(window.perCommand)));
  const rateOf = (mode: HistoryMode, name: string): number =>
    median(windows.filter((window) => window.mode === mode).map((w) => w.perCommand[name] ?? 0)) ??
    0;
  return (
    [...names]
      .map((name) => [name, rateOf('history', name) - rateOf('no-history', name)] as const)
      .filter(([, diff]) => Math.abs(diff) >= 0.5)
      .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
      .slice(0, 12)
      .map(([name, diff]) => `${name.replaceAll('|', ' ')} ${diff > 0 ? '+' : ''}${num(diff, 1)}`)
      .join(', ') || 'none'
  );
}

function per1000(value: number, events: number): number | null {
  return events > 0 ? (value / events) * 1000 : null;
}
