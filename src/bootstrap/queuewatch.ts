import { once } from 'node:events';
import type { Express } from 'express';
import { Container } from 'inversify';
import type { Redis } from 'ioredis';
import type { Logger } from '../application/ports/logger.port.js';
import type { MonitoredQueues } from '../application/queues/monitored-queues.js';
import { listen } from '../adapters/http/http-server.js';
import type { QueuewatchConfig } from './config/load-config.js';
import { applicationModule } from './modules/application-module.js';
import { bullmqModule } from './modules/bullmq-module.js';
import { coreModule } from './modules/core-module.js';
import { httpModule } from './modules/http-module.js';
import { redisModule } from './modules/redis-module.js';
import { TOKENS } from './tokens.js';

/** A started Queuewatch. */
export interface RunningQueuewatch {
  /** Where the API and (later) the dashboard are served. */
  readonly url: string;
  readonly container: Container;
  /** Stop serving and close every connection it opened. */
  stop(): Promise<void>;
}

/** How long start-up waits for Redis before serving anyway (and reporting it unhealthy). */
const firstConnectionWaitMs = 3_000;

/** Assemble the container, connect, discover queues and serve. */
export async function startQueuewatch(
  config: QueuewatchConfig,
  options: { logger?: Logger } = {},
): Promise<RunningQueuewatch> {
  const container = new Container();
  container.load(
    coreModule(config, options.logger),
    redisModule,
    bullmqModule,
    applicationModule,
    httpModule,
  );
  const logger = container.get<Logger>(TOKENS.Logger);
  const redis = container.get<Redis>(TOKENS.RedisConnection);
  const queues = container.get<MonitoredQueues>(TOKENS.MonitoredQueues);

  if (await becameReady(redis, firstConnectionWaitMs)) {
    await queues.refresh();
  } else {
    logger.warn('Redis is not reachable yet; serving anyway and reporting it unhealthy', {
      redis: redactUrl(config.redisUrl),
    });
  }
  // A Redis that comes back may hold queues created while it was away.
  const refreshOnReady = (): void => void queues.refresh();
  redis.on('ready', refreshOnReady);
  const discovery = config.queues.discover
    ? setInterval(refreshOnReady, config.queues.discoveryIntervalMs)
    : undefined;

  const stopBackground = (): void => {
    clearInterval(discovery);
    redis.off('ready', refreshOnReady);
    redis.disconnect();
  };
  let server;
  try {
    server = await listen(container.get<Express>(TOKENS.HttpApp), config.host, config.port);
  } catch (error) {
    stopBackground();
    throw error;
  }
  logger.info('Queuewatch is serving', {
    url: server.url,
    queues: queues.names(),
    discovery: config.queues.discover,
    auth: config.apiToken === null ? 'off' : 'bearer token',
  });
  return {
    url: server.url,
    container,
    stop: async () => {
      await server.close();
      stopBackground();
    },
  };
}

async function becameReady(redis: Redis, waitMs: number): Promise<boolean> {
  if (redis.status === 'ready') return true;
  const signal = AbortSignal.timeout(waitMs);
  try {
    await once(redis, 'ready', { signal });
    return true;
  } catch {
    return false;
  }
}

/** The URL without its password, fit for a log line. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
