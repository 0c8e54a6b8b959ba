import { bytes, num, table, targetsTable, type TargetCheck } from '../lib/markdown.js';
import { ratio } from '../lib/stats.js';
import type { HealthServer } from '../lib/health-servers.js';
import type { HealthData, HealthLatencyRow, SideBySide } from './health-at-scale.js';

/** The health-at-scale section: targets, latencies, and Redis load of polling dashboards. */
export function healthMarkdown(data: HealthData, quick: boolean): string {
  const { rows, polling } = data;
  const largestQueues = Math.max(...rows.map((row) => row.queues));
  const atQueues = rows.filter((row) => row.queues === largestQueues);
  const largestJobs = Math.max(...atQueues.map((row) => row.jobs));
  const smallestJobs = Math.min(...atQueues.map((row) => row.jobs));
  const find = (server: HealthServer, jobs: number): HealthLatencyRow | undefined =>
    atQueues.find((row) => row.server === server && row.jobs === jobs);
  // Targets are judged on a full read (what one health check costs, and what a load balancer
  // polling less often than the cache age gets); the cached figures are shown beside.
  const big = find('queuewatch-uncached', largestJobs);
  const small = find('queuewatch-uncached', smallestJobs);
  const cached = find('queuewatch', largestJobs);
  const theirs = find('bull-board', largestJobs);
  const growth = ratio(big?.latencyMs.p50, small?.latencyMs.p50);
  const growthP99 = ratio(big?.latencyMs.p99, small?.latencyMs.p99);
  const equal = equalWork(rows, smallestJobs, largestJobs);
  const inTurn = data.sideBySide ? takenInTurn(data.sideBySide) : null;
  // Beyond ~1,000 jobs per queue every sample is full: from there on only history grows.
  const middle = atQueues.find(
    (row) =>
      row.server === 'queuewatch-uncached' && row.jobs > smallestJobs && row.jobs < largestJobs,
  );
  const flat = ratio(big?.latencyMs.p50, middle?.latencyMs.p50);
  const faster = ratio(theirs?.latencyMs.p50, big?.latencyMs.p50);
  const fasterP99 = ratio(theirs?.latencyMs.p99, big?.latencyMs.p99);
  const commandShare = polling
    ? ratio(polling.queuewatchPerSecond, polling.bullBoardPerSecond)
    : null;
  const busyShare = polling
    ? ratio(polling.busy.queuewatchPerSecond, polling.busy.bullBoardPerSecond)
    : null;
  const where = `${String(largestQueues)} queues / ${num(largestJobs)} jobs`;
  const full = largestJobs >= 1_000_000;
  // How often a full read could happen and stay within 1/10 of bull-board's commands/s.
  const everySeconds =
    polling && big && polling.bullBoardPerSecond > 0
      ? big.commandsPerRequest / (polling.bullBoardPerSecond / 10)
      : null;
  const checks: TargetCheck[] = [
    {
      target: 'health p99 ≤ 20 ms at 100 queues / 1M jobs',
      measured: `full read ${num(big?.latencyMs.p99, 2)} ms (served from the 1 s cache: ${num(cached?.latencyMs.p99, 2)} ms) at ${where}`,
      met: big && full ? big.latencyMs.p99 <= 20 : null,
    },
    {
      target: '1M-job latency ≤ 1.2 × the 1k-job latency at equal work',
      measured: `${inTurn ? `${inTurn.text}; ` : ''}${
        equal
          ? `measured one after the other on one Redis, at ${String(equal.queues)} queues, where both full reads send ${num(equal.small.commandsPerRequest)} commands: p50 ×${num(equal.growth)}, p99 ×${num(equal.growthP99)}; `
          : 'no queue count where both full reads send the same commands; '
      }at ${String(largestQueues)} queues p50 ×${num(growth)}, p99 ×${num(growthP99)}, where the ${num(smallestJobs)}-job read sends ${num(small?.commandsPerRequest)} commands against ${num(big?.commandsPerRequest)} (${num(smallestJobs / largestQueues)} jobs a queue: none active or failed to read), and p50 ×${num(flat)} vs ${num(middle?.jobs)} jobs (${num(middle?.commandsPerRequest)} commands)`,
      // Both percentiles must hold, where the reads do the same work, taken in turn when they were.
      met: !full
        ? null
        : inTurn
          ? inTurn.met
          : equal === null
            ? null
            : equal.growth <= 1.2 && equal.growthP99 <= 1.2,
    },
    {
      target: '≥ 10 × faster than bull-board /api/queues',
      measured: `full read p50 ×${num(faster)}, p99 ×${num(fasterP99)} at ${where}`,
      met: faster === null || fasterP99 === null ? null : faster >= 10 && fasterP99 >= 10,
    },
    {
      target: '≤ 1/10 of bull-board’s Redis commands/s, 10 dashboards',
      measured: polling
        ? `at rest (like bull-board's figure) ${num(polling.queuewatchPerSecond, 1)} vs ${num(polling.bullBoardPerSecond, 1)} commands/s (×${num(commandShare)}); with ${String(polling.busy.busyQueues)} busy queues ${num(polling.busy.queuewatchPerSecond, 1)} vs ${num(polling.busy.bullBoardPerSecond, 1)} (×${num(busyShare)}); at ${num(big?.commandsPerRequest)} commands per full read, 1/10 allows one every ${num(everySeconds, 1)} s`
        : 'n/a',
      met: commandShare === null ? null : commandShare <= 0.1,
    },
  ];
  const lines = [
    `## Health at scale (${quick ? 'quick' : 'full'} run)`,
    '',
    `\`GET /api/v1/health/queues\` (Queuewatch as users run it, and \`queuewatch-uncached\`, started with QUEUEWATCH_HEALTH_CACHE_MS=0 and QUEUEWATCH_HEALTH_QUIET_REFRESH_MS=0 so every request reads every queue in full: the cost of one full check) beside \`GET /api/queues?page=1&jobsPerPage=10\` (bull-board 9.10, what its overview page polls every 5 s), all three serving the same queues on the same Redis, one request at a time over a kept-alive connection after a warm-up, with a browser's \`Accept-Encoding\`, each timed from sending the request to the body's last byte (the body as sent: Queuewatch gzips a report of 1 KiB or more, bull-board sends JSON as is). A full read is one script call per 100 queues (EVALSHA, each queue read apart: the counts, pause, the error-rate window, the last finish, the oldest active jobs' start walked until the first one that is not stale, and, on a queue's first check only, the latest 10 completed jobs' processing times, which are then kept from completion events) plus CLIENT LIST for the workers and INFO/PING for Redis. As users run it, Queuewatch serves a report again for up to 1 s (QUEUEWATCH_HEALTH_CACHE_MS), reads in full only the queues that had job events since their last read, reads a quiet queue's counts, pause and window again once they are 10 s old (QUEUEWATCH_HEALTH_QUIET_REFRESH_MS) and its samples not at all; workers and Redis on every check. Jobs are written in BullMQ's layout by a Lua script (spread evenly over the queues: 80 % completed, 10 % failed, 8 % waiting, 2 % delayed, but at most 10 active per queue — concurrency does not grow with history; one idle connection per queue named as a BullMQ worker names its own), so a queue of 10 jobs has nothing active or failed to read and no error-rate finding to report (half the body of the larger ones); and BullMQ itself reads one queue back before each measure: ${data.verified.length > 0 ? 'it agreed every time' : 'not checked'}. Commands per request come from INFO commandstats (commands inside Lua scripts included). Redis CPU per request is redis-server's CPU time over the measure (INFO cpu; every client's, the other servers' background work included) ÷ requests.${data.sideBySide ? ` The growth with the jobs held is judged on full reads taken in turn: at ${String(data.sideBySide.queues)} queues a second redis-server holds ${num(data.sideBySide.small.jobs)} jobs in the same queues (with idle workers of its own) and a full-read server of its own, and ${String(data.sideBySide.rounds)} rounds of ${String(data.sideBySide.perRound)} requests alternate between it and the ${num(data.sideBySide.big.jobs)}-job one, the order reversed every round, so the machine's drift falls on both alike (measured one after the other, minutes apart, the 10-queue ratio read ×0.79 in one full run and ×1.17 in the next).` : ''}`,
    '',
    targetsTable(checks),
    '',
    table(
      [
        'queues',
        'jobs',
        'server',
        'p50 ms',
        'p99 ms',
        'p99.9 ms',
        'max ms',
        'requests',
        'Redis commands / request',
        'Redis CPU ms / request',
        'body',
      ],
      rows.map((row) => [
        num(row.queues),
        num(row.jobs),
        row.server,
        num(row.latencyMs.p50, 2),
        num(row.latencyMs.p99, 2),
        num(row.latencyMs.p999, 2),
        num(row.latencyMs.max, 2),
        num(row.latencyMs.count),
        num(row.commandsPerRequest),
        num(row.redisCpuMsPerRequest, 2),
        bytes(row.latencyMs.bodyBytes),
      ]),
    ),
    '',
  ];
  if (polling) {
    lines.push(
      `Redis commands/s at ${String(polling.queues)} queues / ${num(polling.jobs)} jobs, ${String(polling.windowMs / 1000)} s per window (10 Queuewatch dashboards polling health every 2 s; 10 bull-board tabs polling every 5 s):`,
      '',
      table(
        ['window', 'commands/s', 'requests', 'busiest commands'],
        [
          [
            'nobody polls (Queuewatch’s background work)',
            num(polling.idlePerSecond, 1),
            '0',
            polling.idleTop,
          ],
          [
            '10 Queuewatch dashboards (background included)',
            num(polling.queuewatchPerSecond, 1),
            num(polling.queuewatchRequests),
            polling.queuewatchTop,
          ],
          [
            '10 bull-board tabs (idle rate taken off)',
            num(polling.bullBoardPerSecond, 1),
            num(polling.bullBoardRequests),
            polling.bullBoardTop,
          ],
        ],
      ),
      '',
      `The same while BullMQ workers process ${num(polling.busy.jobsPerSecond, 1)} jobs/s in all on ${String(polling.busy.busyQueues)} of the queues (rate-limited, backlogs kept full by a producer), ${String(polling.busy.windowMs / 1000)} s per window; the first window (workers at work, nobody polls, Queuewatch reading their events) is taken off the other two:`,
      '',
      table(
        ['window', 'commands/s', 'requests', 'busiest commands'],
        [
          [
            'workers at work, nobody polls (baseline)',
            num(polling.busy.baselinePerSecond, 1),
            '0',
            polling.busy.baselineTop,
          ],
          [
            '10 Queuewatch dashboards (baseline taken off)',
            num(polling.busy.queuewatchPerSecond, 1),
            num(polling.busy.queuewatchRequests),
            polling.busy.queuewatchTop,
          ],
          [
            '10 bull-board tabs (baseline taken off)',
            num(polling.busy.bullBoardPerSecond, 1),
            num(polling.busy.bullBoardRequests),
            polling.busy.bullBoardTop,
          ],
        ],
      ),
      '',
    );
  }
  return lines.join('\n');
}

/**
 * The largest queue count where the full read of the fewest and of the most jobs sends the same
 * commands per request (within 2 %): there the two do the same work, and only the data differs.
 */
/** The side-by-side measure in words, and whether it meets the 1.2× target at equal work. */
function takenInTurn(side: SideBySide): { text: string; met: boolean | null } {
  const growth = ratio(side.big.latencyMs.p50, side.small.latencyMs.p50);
  const growthP99 = ratio(side.big.latencyMs.p99, side.small.latencyMs.p99);
  const equal =
    side.small.commandsPerRequest > 0 &&
    Math.abs(side.big.commandsPerRequest / side.small.commandsPerRequest - 1) <= 0.02;
  const text = `taken in turn (${String(side.rounds)} rounds of ${String(side.perRound)} requests each, alternating) at ${String(side.queues)} queues on two Redis servers, one holding ${num(side.small.jobs)} jobs and one ${num(side.big.jobs)}, ${num(side.small.commandsPerRequest)} vs ${num(side.big.commandsPerRequest)} commands per read${equal ? '' : ' (not equal work)'}: p50 ${num(side.small.latencyMs.p50, 2)} vs ${num(side.big.latencyMs.p50, 2)} ms (×${num(growth)}), p99 ${num(side.small.latencyMs.p99, 2)} vs ${num(side.big.latencyMs.p99, 2)} ms (×${num(growthP99)}); Redis's CPU per read ${num(side.small.redisCpuMsPerRequest, 2)} vs ${num(side.big.redisCpuMsPerRequest, 2)} ms`;
  const met =
    !equal || growth === null || growthP99 === null ? null : growth <= 1.2 && growthP99 <= 1.2;
  return { text, met };
}

function equalWork(
  rows: readonly HealthLatencyRow[],
  smallestJobs: number,
  largestJobs: number,
): {
  queues: number;
  small: HealthLatencyRow;
  growth: number;
  growthP99: number;
} | null {
  const queueCounts = [...new Set(rows.map((row) => row.queues))].sort((a, b) => b - a);
  for (const queues of queueCounts) {
    const at = (jobs: number) =>
      rows.find(
        (row) => row.server === 'queuewatch-uncached' && row.queues === queues && row.jobs === jobs,
      );
    const small = at(smallestJobs);
    const big = at(largestJobs);
    if (!small || !big || small.commandsPerRequest <= 0) continue;
    if (Math.abs(big.commandsPerRequest / small.commandsPerRequest - 1) > 0.02) continue;
    const growth = ratio(big.latencyMs.p50, small.latencyMs.p50);
    const growthP99 = ratio(big.latencyMs.p99, small.latencyMs.p99);
    if (growth === null || growthP99 === null) continue;
    return { queues, small, growth, growthP99 };
  }
  return null;
}
