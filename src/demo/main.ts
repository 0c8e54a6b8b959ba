import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { isConfigError } from '../bootstrap/config/config-error.js';
import { loadConfig } from '../bootstrap/config/load-config.js';
import { redactUrl, startQueuewatch, type RunningQueuewatch } from '../bootstrap/queuewatch.js';
import { chooseDemoRedis } from './demo-redis.js';
import { showcaseJobId, startDemoWorkload, type DemoWorkload } from './demo-workload.js';
import { RedisServerProcess } from './redis-server-process.js';
import { reasonOf } from '../domain/wording/reason.js';

const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** Does a Redis answer at this URL within a second? */
async function reachable(url: string): Promise<boolean> {
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/** `npm run demo`: a Redis, four busy queues with workers, and Queuewatch watching them. */
async function main(): Promise<void> {
  const choice = chooseDemoRedis(process.env);
  let privateRedis: RedisServerProcess | undefined;
  let redisUrl: string;
  let redisLine: string;
  if (choice.kind === 'given') {
    redisUrl = choice.url;
    redisLine = `Redis: ${redactUrl(redisUrl)} (REDIS_URL); the demo's queues, dead letters and checkpoints go there`;
    say(redisLine);
    if (!(await reachable(redisUrl))) {
      throw new Error(
        `no Redis answers at ${redactUrl(redisUrl)}; start it, or unset REDIS_URL for a private redis-server`,
      );
    }
  } else {
    privateRedis = await RedisServerProcess.launch();
    redisUrl = privateRedis.url;
    redisLine = `Redis: private redis-server at ${redisUrl}, stopped with the demo (set REDIS_URL to use another)`;
    say(redisLine);
  }

  let workload: DemoWorkload | undefined;
  let app: RunningQueuewatch | undefined;
  const stop = async (): Promise<void> => {
    await workload?.stop();
    await app?.stop();
    await privateRedis?.dispose();
  };
  let stopping = false;
  const onSignal = (): void => {
    if (stopping) {
      say('Stopping at once.');
      process.exit(130);
    }
    stopping = true;
    say('\nStopping the demo…');
    stop().then(
      () => {
        say('Stopped; nothing left running.');
        process.exit(0);
      },
      (error: unknown) => {
        say(`Stopped with an error: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    workload = startDemoWorkload(redisUrl, say);
    const config = await loadConfig({
      QUEUEWATCH_CONFIG: fileURLToPath(new URL('queuewatch.demo.json', import.meta.url)),
      LOG_LEVEL: 'warn',
      ...process.env,
      REDIS_URL: redisUrl,
    });
    app = await startQueuewatch(config);
  } catch (error) {
    await stop();
    throw error;
  }
  say('');
  say(`Queuewatch demo is running at ${app.url}  (open it in a browser for the dashboard)`);
  say(`  ${redisLine}`);
  say(`  health:  curl -s ${app.url}/api/v1/health/queues`);
  say(`  queues:  curl -s ${app.url}/api/v1/queues`);
  say(
    `  live:    Socket.IO namespace ${app.url}/job-progress (job ${showcaseJobId} reruns every 15 s)`,
  );
  say('Press Ctrl-C to stop everything the demo started.');
}

main().catch((error: unknown) => {
  const message = reasonOf(error);
  process.stderr.write(`queuewatch demo: ${message}\n`);
  process.exit(isConfigError(error) ? 2 : 1);
});
