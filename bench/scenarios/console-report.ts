import { describeLoad } from '../lib/results-file.js';
import { num, table, targetsTable, type TargetCheck } from '../lib/markdown.js';
import type { Measured } from '../lib/console-measures.js';
import { ratio, type LatencySummary } from '../lib/stats.js';
import type { ConsoleData, ReadRow } from './console.js';

/** The console scenario's section: targets, reads beside bull-board, search and retry-all. */
export function consoleMarkdown(data: ConsoleData): string {
  const { plan, seed } = data;
  const full = plan.scale === 'full';
  const big = plan.big.failed.toLocaleString('en-US');
  const errors = [
    ...data.reads.flatMap((row) => [row.queuewatch, row.bullBoard]),
    ...data.search.runs.map((run) => ({ label: 'queuewatch search', error: run.error })),
    ...data.retryAll.map((run) => ({ label: `${run.server} retry-all`, error: run.error })),
  ].filter((entry): entry is { label: string; error: string } => (entry?.error ?? null) !== null);
  return [
    `## Operator console (${full ? 'full run' : 'small scale'})`,
    '',
    `${String(plan.queues.length)} queues, ${plan.totalJobs.toLocaleString('en-US')} jobs seeded through BullMQ (\`addBulk\` in batches of 1,000, real workers completing or failing them) in ${num(seed.ms / 1000, 1)} s (${num(seed.jobsPerSecond, 0)} jobs/s): ${plan.bigQueue} holds ${big} failed and ${plan.big.completed.toLocaleString('en-US')} completed jobs, each other queue ${describeShape(plan.other)}. Queuewatch and bull-board (its Express adapter, one BullMQ Queue per queue) run in processes of their own on the same Redis; each read is asked of both in turn, one request at a time, each server timed by a reader process of its own (\`node:http\`, one kept-alive connection; the time from sending the request to the body's last byte). bull-board's failed page is the call its UI makes (\`GET /api/queues?activeQueue=&status=failed&page=1&jobsPerPage=50\`: every queue's counts with the active queue's jobs); its job detail is \`GET /api/queues/:queue/:id\`; it has no search. Redis's own latency is a PING every millisecond from a process of its own (at rest: ${describePings(data.idlePingMs)}); Redis commands slower than ${String(data.slowlogThresholdMs)} ms are counted from SLOWLOG.`,
    '',
    full
      ? ''
      : 'Small scale: a check that the scenario works, not figures to judge the targets by.',
    '',
    targetsTable(targets(data)),
    '',
    table(
      [
        'read',
        'server',
        'p50 ms',
        'p95 ms',
        'p99 ms',
        'max ms',
        'requests',
        'body',
        'bull-board ÷ Queuewatch (p50 / p99)',
      ],
      data.reads.flatMap(readRows),
    ),
    '',
    `While the reads ran: ${describeLoad(data.readsLoad)}. "Others CPU %" below: % of one core used by processes other than the bench, its servers, its PING loop and its Redis (/proc/stat).`,
    '',
    `Data search in ${plan.bigQueue}'s ${big} failed jobs for "${data.search.needle}" (\`GET /api/v1/queues/:queue/search?state=failed&data=…&scanLimit=${String(plan.big.failed)}\`, following the cursor to the end):`,
    '',
    table(
      [
        'run',
        'others CPU %',
        'calls',
        'scanned',
        'found',
        'whole scan ms',
        'call p50 / p99 ms',
        'PING p50 / p99 / max ms',
        `commands > ${String(data.slowlogThresholdMs)} ms (slowest)`,
      ],
      data.search.runs.map((run, index) => [
        String(index + 1),
        num(run.load.otherCpuPercent, 0),
        num(run.calls, 0),
        `${num(run.scanned, 0)} of ${num(run.total, 0)}`,
        num(run.found, 0),
        num(run.ms, 0),
        run.callMs === null ? 'n/a' : `${num(run.callMs.p50)} / ${num(run.callMs.p99)}`,
        describePings(run.pingMs),
        describeSlow(run.slow),
      ]),
    ),
    '',
    `Retry of all ${big} failed jobs of ${plan.bigQueue} (Queuewatch: \`POST /api/v1/queues/:queue/retry-all\`, then its operation polled every 100 ms until done; bull-board: \`PUT /api/queues/:queue/retry/failed\`, answered when done). Between the two, a worker fails every retried job again.`,
    '',
    table(
      [
        'server',
        'others CPU %',
        'retried',
        'seconds',
        'PING p50 / p99 / max ms',
        `commands > ${String(data.slowlogThresholdMs)} ms (slowest)`,
      ],
      data.retryAll.map((run) => [
        run.server,
        num(run.load.otherCpuPercent, 0),
        num(run.retried, 0),
        run.ms === null ? 'n/a' : num(run.ms / 1000, 1),
        describePings(run.pingMs),
        describeSlow(run.slow),
      ]),
    ),
    ...(errors.length === 0
      ? []
      : ['', 'Not measured:', '', ...errors.map((entry) => `- ${entry.label}: ${entry.error}`)]),
  ]
    .join('\n')
    .replace(/\n{3,}/g, '\n\n');
}

function readRows(row: ReadRow): string[][] {
  const cells = (measured: Measured, versus: string): string[] => {
    const latency = measured.latencyMs;
    return [
      row.read,
      measured.label,
      num(latency?.p50),
      num(latency?.p95),
      num(latency?.p99),
      num(latency?.max),
      num(latency?.count ?? null, 0),
      measured.bodyBytes === 0 ? 'n/a' : `${num(measured.bodyBytes / 1024, 1)} KiB`,
      versus,
    ];
  };
  const theirs = row.bullBoard;
  const versus =
    theirs === null
      ? 'bull-board has none'
      : `×${num(ratio(theirs.latencyMs?.p50, row.queuewatch.latencyMs?.p50))} / ×${num(ratio(theirs.latencyMs?.p99, row.queuewatch.latencyMs?.p99))}`;
  return [cells(row.queuewatch, versus), ...(theirs === null ? [] : [cells(theirs, '')])];
}

/** The targets of the console, judged at full scale only. */
function targets(data: ConsoleData): TargetCheck[] {
  const full = data.plan.scale === 'full';
  const judge = (met: boolean | null): boolean | null => (full ? met : null);
  const [page, , detail, byId] = data.reads;
  const p99 = (measured: Measured | null | undefined): number | null =>
    measured?.latencyMs?.p99 ?? null;
  const pageRatio = ratio(p99(page?.bullBoard), p99(page?.queuewatch));
  const searchPing = maxOf(data.search.runs.map((run) => run.pingMs?.p99 ?? null));
  const ours = data.retryAll.find((run) => run.server === 'queuewatch' && run.error === null);
  const at = (value: number | null, limit: number): boolean | null =>
    value === null ? null : value <= limit;
  return [
    {
      target: 'first page of 50 failed (big queue) p99 ≤ 20 ms',
      measured: `${num(p99(page?.queuewatch))} ms`,
      met: judge(at(p99(page?.queuewatch), 20)),
    },
    {
      target: '… and ≥ 5× faster than bull-board (p99)',
      measured: `×${num(pageRatio)}`,
      met: judge(pageRatio === null ? null : pageRatio >= 5),
    },
    {
      target: 'job detail p99 ≤ 10 ms',
      measured: `${num(p99(detail?.queuewatch))} ms`,
      met: judge(at(p99(detail?.queuewatch), 10)),
    },
    {
      target: 'search by id p99 ≤ 5 ms',
      measured: `${num(p99(byId?.queuewatch))} ms`,
      met: judge(at(p99(byId?.queuewatch), 5)),
    },
    {
      target: 'data search over the big queue: PING p99 ≤ 5 ms',
      measured: `${num(searchPing)} ms (worst run)`,
      met: judge(at(searchPing, 5)),
    },
    {
      target: 'retry-all completes, PING p99 ≤ 5 ms',
      measured:
        ours === undefined
          ? 'did not complete'
          : `${num(ours.retried, 0)} retried in ${num((ours.ms ?? 0) / 1000, 1)} s, PING p99 ${num(ours.pingMs?.p99)} ms`,
      met: judge(ours === undefined ? false : at(ours.pingMs?.p99 ?? null, 5)),
    },
  ];
}

function maxOf(values: readonly (number | null)[]): number | null {
  const known = values.filter((value): value is number => value !== null);
  return known.length === 0 ? null : Math.max(...known);
}

function describePings(pings: LatencySummary | null): string {
  if (pings === null || pings.count === 0) return 'n/a';
  return `${num(pings.p50)} / ${num(pings.p99)} / ${num(pings.max)} (${num(pings.count, 0)} pings)`;
}

function describeSlow(slow: {
  count: number;
  maxMs: number | null;
  slowest: string | null;
}): string {
  if (slow.count === 0) return 'none';
  return `${num(slow.count, 0)} (${num(slow.maxMs)} ms: \`${slow.slowest ?? '?'}\`)`;
}

function describeShape(shape: ConsoleData['plan']['other']): string {
  const total = shape.completed + shape.failed + shape.waiting + shape.delayed;
  return `${num(total, 0)} jobs (${num(shape.completed, 0)} completed, ${num(shape.failed, 0)} failed, ${num(shape.waiting, 0)} waiting, ${num(shape.delayed, 0)} delayed)`;
}
