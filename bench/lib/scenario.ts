import { RedisServerProcess } from '../../src/demo/redis-server-process.js';
import { killAllChildren } from './child.js';
import { startDisturbanceMeter, type Disturbance } from './machine.js';

/** How a scenario is run. */
export interface RunOptions {
  /** The short run of `npm run bench -- --quick`. */
  readonly quick: boolean;
  /** Folder for CPU profiles of the server children, when `--profile` was given. */
  readonly profileDir: string | null;
  /** One line of progress on the terminal. */
  readonly log: (line: string) => void;
  /** Minutes of load of the soak's full run (`--soak-minutes=`, default 30). */
  readonly soakMinutes: number;
  /** How the soak's clients take their events (`--soak-delivery=event|batch`, default batch). */
  readonly soakDelivery: 'event' | 'batch';
  /** Data set of the console scenario (`--scale=small|full`; small with `--quick`). */
  readonly consoleScale: 'small' | 'full';
}

/** What a scenario hands back: its data for the JSON report and its Markdown section. */
export interface ScenarioReport<T> {
  readonly data: T;
  readonly markdown: string;
}

/** A finished scenario, with how busy the machine was meanwhile. */
export interface ScenarioOutcome<T> extends ScenarioReport<T> {
  readonly name: string;
  readonly startedAt: string;
  readonly disturbance: Disturbance;
}

/**
 * Run a scenario on a private redis-server of its own, within a time limit: whatever happens,
 * the Redis is stopped; the scenario stops its own children in its `finally` blocks, and any
 * child left over is killed when the bench exits (lib/child.ts).
 */
export async function runScenario<T>(
  name: string,
  limitMs: number,
  body: (redisUrl: string) => Promise<ScenarioReport<T>>,
): Promise<ScenarioOutcome<T>> {
  const startedAt = new Date().toISOString();
  const meter = startDisturbanceMeter();
  const redis = await RedisServerProcess.launch();
  // stop() sends SIGKILL at once (then waits): enough for an exit handler, which cannot wait.
  const killRedis = (): void => void redis.stop();
  process.once('exit', killRedis);
  let timer: NodeJS.Timeout | undefined;
  try {
    const report = await Promise.race([
      body(redis.url),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          // Scenarios run one at a time: whatever is still running is this one's.
          killAllChildren();
          reject(new Error(`${name} did not finish within ${String(limitMs / 1000)} s`));
        }, limitMs);
      }),
    ]);
    await redis.dispose();
    return { name, startedAt, ...report, disturbance: meter() };
  } finally {
    clearTimeout(timer);
    process.off('exit', killRedis);
    await redis.dispose();
  }
}

/**
 * Profiling flags for a server child, writing its profiles in `<dir>/<label>/`. Not one fixed
 * file name: Node writes a profile per thread (a worker thread, should a child start one), and
 * with one name the last thread to exit would overwrite the main thread's profile. Children run
 * compiled (.bench-build/), so frames point at the emitted JavaScript, not at the TypeScript.
 */
export function profileArgs(profileDir: string | null, label: string): string[] {
  if (profileDir === null) return [];
  return ['--cpu-prof', '--cpu-prof-dir', `${profileDir}/${label}`];
}
