import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { Container } from 'inversify';
import type { Express } from 'express';
import type { RedisClient } from '../adapters/redis/redis-connection.js';
import type { Logger } from '../application/ports/logger.port.js';
import { destinationDependencies } from '../adapters/alerting/destination-factory.js';
import { createDestinations } from '../adapters/alerting/destination-registry.js';
import { listen } from '../adapters/http/http-server.js';
import { systemClock } from '../adapters/clock/system-clock.js';
import { PinoLogger } from '../adapters/logging/pino-logger.js';
import type { ProgressGateway } from '../adapters/socketio/progress-gateway.js';
import type { QueuewatchConfig } from './config/load-config.js';
import { redisEndpointOf } from './config/redis-connection-config.js';
import { ConfigError } from './config/config-error.js';
import { redisRefusal } from '../adapters/redis/redis-preflight.js';
import { alertingModule } from './modules/alerting-module.js';
import { alertRoutingModule } from './modules/alert-routing-module.js';
import { applicationModule } from './modules/application-module.js';
import { bullmqModule } from './modules/bullmq-module.js';
import { conditionRulesModule } from './modules/condition-rules-module.js';
import { coreModule } from './modules/core-module.js';
import { httpModule } from './modules/http-module.js';
import { redisModule } from './modules/redis-module.js';
import { socketioModule } from './modules/socketio-module.js';
import { historyModule } from './modules/history-module.js';
import { watchModule } from './modules/watch-module.js';
import { resolve } from './provide.js';
import { TOKENS } from './tokens.js';
import { reasonOf } from '../domain/wording/reason.js';

/** A started Queuewatch. */
export interface RunningQueuewatch {
  /** Where the API, the gateway and (later) the dashboard are served. */
  readonly url: string;
  readonly container: Container;
  /** Stop serving and close every connection it opened. */
  stop(): Promise<void>;
}

/**
 * Queuewatch assembled from its configuration, the one assembly of the standalone server and of
 * an application that embeds it: the container, the HTTP app and the gateway (served by whoever
 * has the HTTP server), and the background work's start and stop.
 */
export interface AssembledQueuewatch {
  readonly container: Container;
  readonly logger: Logger;
  /** The Express app: every route and the dashboard. */
  readonly app: Express;
  /** The Socket.IO gateway, not yet served (`gateway.attach(server, path)`). */
  readonly gateway: ProgressGateway;
  /**
   * Connect to Redis (waiting a few seconds for it), start the outbox and the watch loop. A Redis
   * that does not answer yet is logged, not thrown: it is reported unhealthy until it answers.
   */
  start(): Promise<void>;
  /**
   * Disconnect the gateway's clients, stop reading (with a last checkpoint), let deliveries under
   * way finish, and close every connection it opened. Leaves any HTTP server alone.
   */
  stop(): Promise<void>;
}

/** How long start-up waits for Redis before serving anyway (and reporting it unhealthy). */
const firstConnectionWaitMs = 3_000;

/** How often the silences are read, so an alert sent while Redis is away honours recent ones. */
const silenceReadMs = 10_000;

/** How often firing alerts no instance stands behind any more are looked for. */
const firingSweepMs = 60_000;

/**
 * Build everything from a checked configuration. The alert destinations are built first: one
 * that cannot be (bad options, a missing plugin) throws before any connection is opened; then
 * Redis is asked whether Queuewatch's user may log in and run what it needs: a refusal throws
 * a ConfigError naming REDIS_URL (docs/redis-setup.md).
 */
export async function assembleQueuewatch(
  config: QueuewatchConfig,
  options: { logger?: Logger } = {},
): Promise<AssembledQueuewatch> {
  const baseLogger = options.logger ?? new PinoLogger(config.logLevel);
  const destinations = await createDestinations(
    config.alerts.destinations.map(({ name, type, options: destinationOptions }) => ({
      name,
      type,
      options: destinationOptions,
    })),
    destinationDependencies(baseLogger, undefined, systemClock),
    config.alerts.baseDir,
  );
  const refusal = await redisRefusal(redisEndpointOf(config), firstConnectionWaitMs);
  if (refusal !== null) {
    throw new ConfigError(`${refusal.setting}: ${refusal.message} (see docs/redis-setup.md)`);
  }
  const lifecycle = { stopped: false };
  const container = new Container();
  container.load(
    coreModule(config, lifecycle, baseLogger),
    redisModule,
    bullmqModule,
    applicationModule,
    alertingModule(destinations, randomUUID()),
    alertRoutingModule,
    httpModule,
    socketioModule,
    watchModule,
    historyModule,
    conditionRulesModule,
  );
  const logger = resolve(container, TOKENS.Logger);
  const redis = resolve(container, TOKENS.RedisConnection);
  const watcher = resolve(container, TOKENS.Watcher);
  const gateway = resolve(container, TOKENS.ProgressGateway);
  const writes = resolve(container, TOKENS.PendingWrites);
  const outbox = resolve(container, TOKENS.AlertOutbox);
  const groupFlushes = resolve(container, TOKENS.GroupFlushQueue);
  const app = resolve(container, TOKENS.HttpApp);
  // Built now, so the gateway serves `subscribe-to-job-logs` and resumes from the first connection.
  const jobLogs = resolve(container, TOKENS.JobLogFollower);
  resolve(container, TOKENS.JobResume);
  const history = resolve(container, TOKENS.HistoryKeeper);
  const conditionRules = resolve(container, TOKENS.ConditionRules);

  let stopping: Promise<void> | undefined;
  let stopAlertTimers = (): void => undefined;
  return {
    container,
    logger,
    app,
    gateway,
    start: async () => {
      try {
        outbox.start(resolve(container, TOKENS.AlertDelivery));
        const flusher = resolve(container, TOKENS.GroupFlusher);
        groupFlushes.start((flush) => flusher.flush(flush));
        // The silences as last read are what holds back an alert sent while Redis is away.
        const silences = resolve(container, TOKENS.SilenceService);
        const clock = resolve(container, TOKENS.Clock);
        const readSilences = (): void => {
          silences.active(clock.now()).catch(() => undefined);
        };
        readSilences();
        const timer = resolve(container, TOKENS.Timer);
        const sweeper = resolve(container, TOKENS.FiringSweeper);
        const stopReads = timer.every(silenceReadMs, readSilences);
        const stopSweeps = timer.every(firingSweepMs, () => {
          sweeper.sweep().catch((error: unknown) => {
            logger.warn('left-over firing alerts not swept; trying again later', {
              reason: reasonOf(error),
            });
          });
        });
        stopAlertTimers = () => {
          stopReads();
          stopSweeps();
        };
        const redisAnswers = await becameReady(redis, firstConnectionWaitMs);
        if (!redisAnswers) {
          logger.warn('Redis is not reachable yet; serving anyway and reporting it unhealthy', {
            redis: redactUrl(config.redisUrl),
          });
        }
        await watcher.start(redisAnswers);
        if (config.history.enabled) history.start();
        conditionRules.start();
      } catch (error) {
        // Nothing half-started is left running.
        await stop();
        throw error;
      }
    },
    stop,
  };

  // Clients are told to go (they reconnect to another instance); reading stops with a last
  // checkpoint before any unfinished work; deliveries under way finish; what still waits for
  // Redis is given up here and read again by the next start. Once, however often it is called.
  function stop(): Promise<void> {
    return (stopping ??= (async () => {
      lifecycle.stopped = true;
      await gateway.close();
      jobLogs.stop();
      resolve(container, TOKENS.HealthService).stop();
      await conditionRules.stop();
      await watcher.stop();
      await history.stop();
      stopAlertTimers();
      resolve(container, TOKENS.DirectNotifier).stop();
      await groupFlushes.close();
      await outbox.close();
      writes.stop();
      await Promise.all([
        resolve(container, TOKENS.DeadLetterStore).close(),
        resolve(container, TOKENS.JobSubmitter).close(),
        resolve(container, TOKENS.JobControl).close(),
      ]);
      redis.disconnect();
    })());
  }
}

/** Where the standalone server serves the gateway. */
const standaloneSocketPath = '/socket.io';

/** The standalone server: assemble, serve the gateway and the app on a port of its own, start. */
export async function startQueuewatch(
  config: QueuewatchConfig,
  options: { logger?: Logger } = {},
): Promise<RunningQueuewatch> {
  const queuewatch = await assembleQueuewatch(config, options);
  const httpServer = resolve(queuewatch.container, TOKENS.HttpServer);
  // Before listening, so the first request under the path already reaches the gateway.
  queuewatch.gateway.attach(httpServer, standaloneSocketPath);
  await queuewatch.start();
  let server;
  try {
    server = await listen(httpServer, config.host, config.port);
  } catch (error) {
    await queuewatch.stop();
    throw error;
  }
  queuewatch.logger.info('Queuewatch is serving', {
    url: server.url,
    queues: resolve(queuewatch.container, TOKENS.MonitoredQueues).names(),
    discovery: config.queues.discover,
    auth:
      config.auth.tokens.length === 0
        ? 'off'
        : `${String(config.auth.tokens.length)} bearer token(s)`,
    readOnly: config.auth.readOnly,
  });
  return {
    url: server.url,
    container: queuewatch.container,
    stop: async () => {
      // No new connections; requests under way get a few seconds to finish.
      const closing = server.close();
      await queuewatch.stop();
      await closing;
    },
  };
}

async function becameReady(redis: RedisClient, waitMs: number): Promise<boolean> {
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
