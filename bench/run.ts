import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { checkCompiledProcesses, killAllChildren } from './lib/child.js';
import { summarizeProfilesSince } from './lib/cpu-profile.js';
import { describeMachine, describeRevision } from './lib/machine.js';
import { describeLoad, updateResultsFile } from './lib/results-file.js';
import {
  runScenario,
  type RunOptions,
  type ScenarioOutcome,
  type ScenarioReport,
} from './lib/scenario.js';
import { consoleScenario } from './scenarios/console.js';
import { fanOutCapacity } from './scenarios/fan-out.js';
import { healthAtScale } from './scenarios/health-at-scale.js';
import { historyOverhead } from './scenarios/history-overhead.js';
import { scaleOut } from './scenarios/scale-out.js';
import { predictionAccuracy } from './scenarios/prediction-accuracy.js';
import { progressLatency } from './scenarios/progress-latency.js';
import { redisConnections } from './scenarios/redis-connections.js';
import { socketHeap } from './scenarios/socket-heap.js';
import { queueCount } from './scenarios/queue-count.js';
import { tenThousandClients } from './scenarios/ten-thousand-clients.js';
import { soak } from './scenarios/soak.js';

/**
 * `npm run bench` (`-- --quick` for the short run, `-- --only=fan-out,health` for some (or
 * their names alone: `-- console`), `-- --scale=small|full` for the console's data set,
 * `-- --profile` to write a CPU profile of every server child, `-- --quick --record` to write a
 * quick run's sections to RESULTS.md all the same, `-- --soak-minutes=30` for the
 * soak's length in a full run, `-- --soak-delivery=event` for its clients to take one packet per
 * event instead of batches). npm run bench first compiles bench/processes (and the src they
 * import) to .bench-build/, and every child runs from there as plain JavaScript, as users run
 * Queuewatch. Each scenario runs on a private
 * redis-server of its own, Queuewatch beside its peers in the same run, and writes a JSON report
 * and a Markdown table to bench/results/. A full run also refreshes its sections of
 * bench/RESULTS.md (a quick run only with `--record`, a profiled run never: too short, or slowed by the profiler).
 */
interface Scenario {
  readonly name: string;
  /** Hard limit, quick and full (ms). */
  readonly limitMs: { readonly quick: number; readonly full: number };
  readonly run: (redisUrl: string, options: RunOptions) => Promise<ScenarioReport<unknown>>;
}

const args = process.argv.slice(2);
const quick = args.includes('--quick');
// A quick run's sections go to RESULTS.md too when asked (marked "quick run" in their titles).
const record = args.includes('--record');
const named = args.filter((arg) => !arg.startsWith('-'));
const only =
  args
    .find((arg) => arg.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',')
    .concat(named) ?? (named.length > 0 ? named : undefined);
const consoleScale =
  args.find((arg) => arg.startsWith('--scale='))?.slice('--scale='.length) ??
  (quick ? 'small' : 'full');
const soakMinutes = Number(
  args.find((arg) => arg.startsWith('--soak-minutes='))?.slice('--soak-minutes='.length) ?? 30,
);
const soakDelivery =
  args.find((arg) => arg.startsWith('--soak-delivery='))?.slice('--soak-delivery='.length) ??
  'batch';
if (!Number.isFinite(soakMinutes) || soakMinutes < 1) {
  process.stderr.write('--soak-minutes must be a number of minutes, at least 1\n');
  process.exit(2);
}
if (soakDelivery !== 'batch' && soakDelivery !== 'event') {
  process.stderr.write('--soak-delivery must be batch or event\n');
  process.exit(2);
}
if (consoleScale !== 'small' && consoleScale !== 'full') {
  process.stderr.write('--scale must be small or full\n');
  process.exit(2);
}

const scenarios: readonly Scenario[] = [
  { name: 'progress-latency', limitMs: { quick: 60_000, full: 900_000 }, run: progressLatency },
  { name: 'fan-out', limitMs: { quick: 90_000, full: 1_200_000 }, run: fanOutCapacity },
  { name: 'health-at-scale', limitMs: { quick: 60_000, full: 900_000 }, run: healthAtScale },
  { name: 'redis-connections', limitMs: { quick: 60_000, full: 120_000 }, run: redisConnections },
  { name: 'socket-heap', limitMs: { quick: 60_000, full: 180_000 }, run: socketHeap },
  // Three sessions (quick: two); seeding and discovering 10,000 queues takes seconds.
  { name: 'queue-count', limitMs: { quick: 120_000, full: 600_000 }, run: queueCount },
  // One session: 10,000 clients connect (a minute or more on 2 cores), then up to 5 steps.
  {
    name: 'ten-thousand-clients',
    limitMs: { quick: 180_000, full: 900_000 },
    run: tenThousandClients,
  },
  // The load, then up to ~8 minutes to drain, settle the alerts and read the dead letters.
  { name: 'soak', limitMs: { quick: 300_000, full: (soakMinutes + 10) * 60_000 }, run: soak },
  // Seeding 1M jobs through BullMQ takes minutes; bull-board's retry-all of 100,000 too.
  { name: 'console', limitMs: { quick: 600_000, full: 3_600_000 }, run: consoleScenario },
  // Turns of 15 + 60 s (quick: 5 + 15 s), history on and off, 3 rounds (quick: 2).
  { name: 'history-overhead', limitMs: { quick: 120_000, full: 600_000 }, run: historyOverhead },
  // Turns of 15 + 30 s with 0, 1, 2, 3, 3, 2, 1, 0 instances (quick: 5 + 10 s, 0 to 3 once).
  { name: 'scale-out', limitMs: { quick: 150_000, full: 600_000 }, run: scaleOut },
  // About 12 minutes of phases (quick: 2), a drain timed up to 15 minutes, a minute's grace.
  {
    name: 'prediction-accuracy',
    limitMs: { quick: 360_000, full: 1_800_000 },
    run: predictionAccuracy,
  },
];

const resultsDir = fileURLToPath(new URL('results/', import.meta.url));
const profileDir = args.includes('--profile') ? `${resultsDir}profiles` : null;
const chosen = scenarios.filter((scenario) => !only || only.includes(scenario.name));
if (chosen.length === 0) {
  process.stderr.write(
    `no scenario matches --only; known: ${scenarios.map((s) => s.name).join(', ')}\n`,
  );
  process.exit(2);
}

// Children run compiled (see bench/lib/child.ts): without the build, no scenario could start one.
try {
  checkCompiledProcesses();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}

// Ctrl-C: stop every child now, then leave (exit handlers kill the scenario's Redis).
process.once('SIGINT', () => {
  killAllChildren();
  process.exit(130);
});

const machine = describeMachine();
const revision = describeRevision();
const log = (line: string): void => void process.stdout.write(`${line}\n`);
await mkdir(resultsDir, { recursive: true });
if (profileDir !== null) await mkdir(profileDir, { recursive: true });
const started = performance.now();
const outcomes: ScenarioOutcome<unknown>[] = [];
let failed = false;
for (const scenario of chosen) {
  const scenarioStarted = performance.now();
  const scenarioStartedAt = Date.now();
  try {
    const outcome = await runScenario(
      scenario.name,
      quick ? scenario.limitMs.quick : scenario.limitMs.full,
      (redisUrl) =>
        scenario.run(redisUrl, {
          quick,
          profileDir,
          log,
          soakMinutes,
          soakDelivery,
          consoleScale,
        }),
    );
    outcomes.push(outcome);
    const { markdown, ...json } = outcome;
    await writeFile(
      `${resultsDir}${scenario.name}.json`,
      `${JSON.stringify({ machine, revision, quick, ...json }, null, 2)}\n`,
    );
    // How busy the machine was goes with every report, not only the full run's RESULTS.md.
    const load = `Machine: ${describeLoad(outcome.disturbance)}.`;
    await writeFile(`${resultsDir}${scenario.name}.md`, `${markdown.trimEnd()}\n\n${load}\n`);
    log(
      `${scenario.name}: done in ${String(Math.round((performance.now() - scenarioStarted) / 1000))} s\n`,
    );
    log(markdown);
    log(`${load}\n`);
    if (profileDir !== null) {
      const profiles = await summarizeProfilesSince(profileDir, scenarioStartedAt);
      await writeFile(`${profileDir}/${scenario.name}.md`, profiles);
      log(profiles);
    }
  } catch (error) {
    failed = true;
    log(
      `${scenario.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
  }
}
const totalSeconds = Math.round((performance.now() - started) / 1000);
// Quick runs are not kept unless asked, profiled runs never: too short, or slowed down by the
// profiler; nor is the console's small data set.
const kept = outcomes.filter((outcome) => outcome.name !== 'console' || consoleScale === 'full');
if ((!quick || record) && profileDir === null && kept.length > 0)
  await updateResultsFile(machine, revision, kept, totalSeconds);
log(`bench ${quick ? 'quick' : 'full'} run: ${String(totalSeconds)} s; reports in bench/results/`);
process.exit(failed ? 1 : 0);
