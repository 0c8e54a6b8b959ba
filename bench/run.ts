import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { RedisServerProcess } from '../src/demo/redis-server-process.js';
import { measureProgressLatency, type LatencyResult } from './scenarios/progress-latency.js';

/**
 * `npm run bench` (`-- --quick` for a short run): each scenario on a private redis-server,
 * Queuewatch side by side with the peer in the same run; a JSON report and a Markdown table in
 * bench/results/.
 */
const quick = process.argv.includes('--quick');
const load = { jobs: 100, intervalMs: 100, steps: quick ? 30 : 150 };
const machine = `${String(cpus().length)} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${String(Math.round(totalmem() / 2 ** 30))} GiB, Node ${process.version}`;

const redis = await RedisServerProcess.launch();
const results: LatencyResult[] = [];
try {
  for (const relay of ['queuewatch', 'naive-relay'] as const) {
    process.stdout.write(
      `progress latency: ${relay}, ${String(load.jobs * 10)} events/s, ${String(load.jobs)} clients…\n`,
    );
    results.push(await measureProgressLatency(redis.url, relay, load));
  }
} finally {
  await redis.dispose();
}

const [ours, peer] = results;
const ratio = (a: number | undefined, b: number | undefined): string =>
  a !== undefined && b !== undefined && b > 0 ? (a / b).toFixed(2) : 'n/a';
const table = [
  `## Progress latency (${quick ? 'quick' : 'full'} run, ${new Date().toISOString()})`,
  '',
  `Machine: ${machine}. updateProgress() in a worker process → job-progress at a socket.io-client; one client subscribed to each of ${String(load.jobs)} running jobs; ${String(load.jobs * 10)} events/s for ${String((load.steps * load.intervalMs) / 1000)} s.`,
  '',
  '| relay | p50 ms | p99 ms | p99.9 ms | max ms | progress delivered / sent | completions lost |',
  '| --- | --- | --- | --- | --- | --- | --- |',
  ...results.map(
    (result) =>
      `| ${result.relay} | ${String(result.latencyMs.p50)} | ${String(result.latencyMs.p99)} | ${String(result.latencyMs.p999)} | ${String(result.latencyMs.max)} | ${String(result.progressDelivered)} / ${String(result.progressSent)} | ${String(result.completionsLost)} |`,
  ),
  '',
  `Queuewatch / naive relay: p50 ×${ratio(ours?.latencyMs.p50, peer?.latencyMs.p50)}, p99 ×${ratio(ours?.latencyMs.p99, peer?.latencyMs.p99)} (below 1 is faster).`,
  '',
].join('\n');
await mkdir(new URL('results/', import.meta.url), { recursive: true });
await writeFile(
  new URL('results/progress-latency.json', import.meta.url),
  `${JSON.stringify({ machine, quick, results }, null, 2)}\n`,
);
await writeFile(new URL('results/progress-latency.md', import.meta.url), table);
process.stdout.write(`\n${table}`);
process.exit(0);
