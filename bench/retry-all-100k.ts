import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import type { OperationBody } from '../src/application/contract/console.js';
import { loadConfig } from '../src/bootstrap/config/load-config.js';
import { startQueuewatch } from '../src/bootstrap/queuewatch.js';
import { RedisServerProcess } from '../src/demo/redis-server-process.js';

/**
 * `npx tsx bench/retry-all-100k.ts [jobs]`: on a private redis-server, 100,000 failed jobs (written
 * as BullMQ keeps them), Queuewatch's retry-all over them, and a PING loop beside it measuring
 * Redis's own latency throughout. Prints the time it took, the jobs moved, and PING p50/p99/max.
 */
const jobs = Number(process.argv[2] ?? 100_000);
const queue = 'bulk';

const server = await RedisServerProcess.launch();
const admin = new Redis(server.url);
try {
  const now = Date.now();
  for (let start = 0; start < jobs; start += 5_000) {
    const pipeline = admin.pipeline();
    for (let n = start; n < Math.min(jobs, start + 5_000); n += 1) {
      const id = String(n + 1);
      pipeline.hset(`bull:${queue}:${id}`, {
        name: n % 2 === 0 ? 'charge' : 'refund',
        data: JSON.stringify({ n }),
        opts: JSON.stringify({ attempts: 1 }),
        timestamp: now - 60_000,
        delay: 0,
        priority: 0,
        processedOn: now - 30_000,
        finishedOn: now - 20_000,
        failedReason: 'gateway timeout',
        atm: 1,
        ats: 1,
      });
      pipeline.zadd(`bull:${queue}:failed`, now - 20_000, id);
    }
    await pipeline.exec();
  }
  await admin.set(`bull:${queue}:id`, jobs);
  const app = await startQueuewatch(
    await loadConfig({
      REDIS_URL: server.url,
      PORT: '0',
      QUEUEWATCH_QUEUES: queue,
      LOG_LEVEL: 'silent',
    }),
  );
  // Every command Redis took more than 1 ms to run, as Redis itself times it.
  await admin.config('SET', 'slowlog-log-slower-than', '1000');
  await admin.config('SET', 'slowlog-max-len', '100000');
  await admin.slowlog('RESET');
  // The PING loop runs in a process of its own, so Queuewatch's work does not delay its timing.
  const pinger = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { Redis } from 'ioredis';
       const ping = new Redis(process.argv[1]);
       const latencies = [];
       let pinging = true;
       process.on('message', () => { pinging = false; });
       while (pinging) {
         const sent = process.hrtime.bigint();
         await ping.ping();
         latencies.push(Number(process.hrtime.bigint() - sent) / 1e6);
       }
       process.send(latencies, () => process.exit(0));`,
      server.url,
    ],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  const measured = new Promise<number[]>((resolve) => {
    pinger.once('message', (message) => {
      resolve(message as number[]);
    });
  });
  const began = Date.now();
  const started = (await (
    await fetch(`${app.url}/api/v1/queues/${queue}/retry-all`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    })
  ).json()) as OperationBody;
  let operation = started;
  while (operation.status === 'running') {
    await new Promise((resolve) => setTimeout(resolve, 100));
    operation = (await (
      await fetch(`${app.url}/api/v1/operations/${started.id}`)
    ).json()) as OperationBody;
  }
  const tookMs = Date.now() - began;
  pinger.send('stop');
  const sorted = [...(await measured)].sort((a, b) => a - b);
  const slow = (await admin.slowlog('GET', 100_000)) as [number, number, number, string[]][];
  const slowest = slow.reduce((most, entry) => Math.max(most, entry[2]), 0) / 1_000;
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const waiting = await admin.llen(`bull:${queue}:wait`);
  process.stdout.write(
    `${JSON.stringify({
      jobs,
      status: operation.status,
      done: operation.done,
      total: operation.total,
      waiting,
      tookMs,
      pings: sorted.length,
      pingP50Ms: Number(at(0.5).toFixed(2)),
      pingP99Ms: Number(at(0.99).toFixed(2)),
      pingMaxMs: Number((sorted.at(-1) ?? 0).toFixed(2)),
      redisCommandsOver1Ms: slow.length,
      slowestRedisCommandMs: slowest,
      slowest5: [...slow]
        .sort((a, b) => b[2] - a[2])
        .slice(0, 5)
        .map((entry) => [entry[2], entry[3].slice(0, 5).join(' ')]),
      slowCommands: Object.entries(
        slow.reduce<Record<string, number>>((count, entry) => {
          const name = String(entry[3][0]).toLowerCase();
          count[name] = (count[name] ?? 0) + 1;
          return count;
        }, {}),
      ),
    })}\n`,
  );
  await app.stop();
} finally {
  admin.disconnect();
  await server.dispose();
}
