import { num, table } from '../lib/markdown.js';
import { median } from '../lib/stats.js';
import type { ScaleOutData, ScaleWindow } from './scale-out.js';

/**
 * The scale-out section: per number of instances (medians over its windows), what each instance
 * costs in CPU and what it adds in Redis beyond the workload alone; then every window with the
 * machine's load beside it.
 */
export function scaleOutMarkdown(
  data: ScaleOutData,
  how: { readonly warmUpMs: number; readonly windowMs: number },
): string {
  const counts = [...new Set(data.windows.map((window) => window.instances))].sort((a, b) => a - b);
  const of = (instances: number): ScaleWindow[] =>
    data.windows.filter((window) => window.instances === instances);
  const medianOf = (instances: number, pick: (window: ScaleWindow) => number | null) =>
    median(of(instances).map(pick));
  const commandsOf = (instances: number): number =>
    medianOf(instances, (window) => window.commandsPerSecond) ?? 0;
  const redisOf = (instances: number): number =>
    medianOf(instances, (window) => window.redisCpuPercent) ?? 0;
  const events = median(data.windows.map((window) => window.eventsPerSecond)) ?? 0;
  const rows = counts.map((instances, index) => {
    const cpu = medianOf(instances, (window) =>
      instances === 0 ? null : (median(window.instanceCpuPercent) ?? null),
    );
    const commands = commandsOf(instances);
    const redis = redisOf(instances);
    // What this instance added to the count before it.
    const before = counts[index - 1];
    const added = before === undefined ? null : commands - commandsOf(before);
    const redisAdded = before === undefined ? null : redis - redisOf(before);
    return [
      String(instances),
      num(
        medianOf(instances, (window) => window.eventsPerSecond),
        0,
      ),
      instances === 0 ? '—' : num(cpu, 1),
      instances === 0 || cpu === null || events === 0 ? '—' : num((cpu / events) * 1000, 2),
      num(redis, 1),
      redisAdded === null ? '—' : num(redisAdded, 1),
      num(commands, 0),
      added === null ? '—' : num(added, 0),
      added === null || events === 0 ? '—' : num((added / events) * 1000, 0),
    ];
  });
  const others = data.windows.map((window) => window.otherCpuPercent ?? 0);
  return [
    '## Scale-out: 0 to 3 instances on one Redis (full run)',
    '',
    `Real BullMQ producers and workers on ${String(data.queues)} queues, ${num(data.jobsPerSecondAsked)} jobs/s in all, run throughout; 0 (the workload alone), 1, 2 and 3 Queuewatch processes (each with its own instance id, all watching every queue) run in turns, 0, 1, 2, 3, 3, 2, 1, 0. Each turn starts its instances afresh, waits ${num(how.warmUpMs / 1000)} s, then measures ${num(how.windowMs / 1000)} s: each instance's CPU from /proc/<pid>/stat, Redis's from INFO cpu, Redis commands from INFO commandstats (those inside Lua scripts counted too). Figures are medians over the turns with that many instances; "added" is what the last instance added to the count before it. Every instance reads every event; the first also counts them into the history (each event is counted once, by whichever instance reaches it first), so it adds more to Redis than the next ones.`,
    '',
    table(
      [
        'instances',
        'events/s',
        'CPU per instance, % of a core',
        'CPU % per 1,000 events/s',
        'Redis CPU %',
        'Redis CPU % added',
        'Redis commands/s',
        'commands/s added',
        'added per 1,000 events',
      ],
      rows,
    ),
    '',
    table(
      [
        'instances',
        'CPU of each instance %',
        'Redis CPU %',
        'events/s',
        'jobs/s',
        'EVALSHA/s',
        'XREAD/s',
        'commands/s',
        'bench CPU %',
        'others CPU %',
      ],
      data.windows.map((window) => [
        String(window.instances),
        window.instanceCpuPercent.map((cpu) => num(cpu, 1)).join(' / ') || '—',
        num(window.redisCpuPercent, 1),
        num(window.eventsPerSecond, 0),
        num(window.jobsPerSecond, 0),
        num(window.perCommand.evalsha ?? 0, 0),
        num(window.perCommand.xread ?? 0, 0),
        num(window.commandsPerSecond, 0),
        num(window.benchCpuPercent, 1),
        num(window.otherCpuPercent, 1),
      ]),
    ),
    '',
    `Others used ${num(Math.min(...others), 1)}–${num(Math.max(...others), 1)} % of one core during the windows${Math.max(...others) >= 10 ? ' (**a busy machine**: CPU figures are noisy)' : ''}. The producers, workers, every instance and Redis share the machine's 2 cores.`,
    '',
  ].join('\n');
}
