import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { Server } from 'node:http';
import { Container } from 'inversify';
import type { Redis } from 'ioredis';
import type { EventGapLog } from '../application/events/event-gap-log.js';
import type { ProcessingTimes } from '../application/health/processing-times.js';
import type { QueueActivity } from '../application/health/queue-activity.js';
import type { CustomProgressSource } from '../application/ports/custom-progress-source.port.js';
import type { JobEventSource } from '../application/ports/job-event-source.port.js';
import type { Logger } from '../application/ports/logger.port.js';
import type { ProgressRelay } from '../application/progress/progress-relay.js';
import type { MonitoredQueues } from '../application/queues/monitored-queues.js';
import type { FailureRules } from '../application/alerting/failure-rules.js';
import type { AlertDelivery } from '../application/alerting/alert-delivery.js';
import type { DeadLetterRecorder } from '../application/dead-letters/dead-letter-recorder.js';
import type { FailureStatsService } from '../application/dead-letters/failure-stats-service.js';
import type { AlertOutbox } from '../application/ports/alert-outbox.port.js';
import { WritesStoppedError, type PendingWrites } from '../application/writes/pending-writes.js';
import { destinationDependencies } from '../adapters/alerting/destination-factory.js';
import { createDestinations } from '../adapters/alerting/destination-registry.js';
import type { BullmqDeadLetterStore } from '../adapters/bullmq/bullmq-dead-letter-store.js';
import type { BullmqJobSubmitter } from '../adapters/bullmq/bullmq-job-submitter.js';
import { listen } from '../adapters/http/http-server.js';
import { PinoLogger } from '../adapters/logging/pino-logger.js';
import type { ProgressGateway } from '../adapters/socketio/progress-gateway.js';
import type { QueuewatchConfig } from './config/load-config.js';
import { alertingModule } from './modules/alerting-module.js';
import { applicationModule } from './modules/application-module.js';
import { bullmqModule } from './modules/bullmq-module.js';
import { coreModule } from './modules/core-module.js';
import { httpModule } from './modules/http-module.js';
import { redisModule } from './modules/redis-module.js';
import { socketioModule } from './modules/socketio-module.js';
import { TOKENS } from './tokens.js';

/** A started Queuewatch. */
export interface RunningQueuewatch {
  /** Where the API, the gateway and (later) the dashboard are served. */
  readonly url: string;
  readonly container: Container;
  /** Stop serving and close every connection it opened. */
  stop(): Promise<void>;
}

/** How long start-up waits for Redis before serving anyway (and reporting it unhealthy). */
const firstConnectionWaitMs = 3_000;

/** Assemble the container, connect, discover queues, follow their events and serve. */
export async function startQueuewatch(
  config: QueuewatchConfig,
  options: { logger?: Logger } = {},
): Promise<RunningQueuewatch> {
  const baseLogger = options.logger ?? new PinoLogger(config.logLevel);
  // Built first: a destination that cannot be built (bad options, missing plugin) stops start-up.
  const destinations = await createDestinations(
    config.alerts.destinations.map(({ name, type, options: destinationOptions }) => ({
      name,
      type,
      options: destinationOptions,
    })),
    destinationDependencies(baseLogger),
    config.alerts.baseDir,
  );
  const container = new Container();
  container.load(
    coreModule(config, baseLogger),
    redisModule,
    bullmqModule,
    applicationModule,
    alertingModule(destinations, randomUUID()),
    httpModule,
    socketioModule,
  );
  const logger = container.get<Logger>(TOKENS.Logger);
  const redis = container.get<Redis>(TOKENS.RedisConnection);
  const queues = container.get<MonitoredQueues>(TOKENS.MonitoredQueues);
  const events = container.get<JobEventSource>(TOKENS.JobEventSource);
  const customProgress = container.get<CustomProgressSource>(TOKENS.CustomProgressSource);
  const relay = container.get<ProgressRelay>(TOKENS.ProgressRelay);
  const gaps = container.get<EventGapLog>(TOKENS.EventGapLog);
  const activity = container.get<QueueActivity>(TOKENS.QueueActivity);
  const processingTimes = container.get<ProcessingTimes>(TOKENS.ProcessingTimes);
  const gateway = container.get<ProgressGateway>(TOKENS.ProgressGateway);

  const recorder = container.get<DeadLetterRecorder>(TOKENS.DeadLetterRecorder);
  const rules = container.get<FailureRules>(TOKENS.FailureRules);
  const writes = container.get<PendingWrites>(TOKENS.PendingWrites);
  const outbox = container.get<AlertOutbox>(TOKENS.AlertOutbox);
  const deadLetters = container.get<BullmqDeadLetterStore>(TOKENS.DeadLetterStore);
  const failureStats = container.get<FailureStatsService>(TOKENS.FailureStatsService);
  events.onEvent((event) => {
    relay.relayJobEvent(event);
  });
  // Work cut short by a stop is not done: its event is read again after the restart.
  const unlessStopped = (error: unknown): void => {
    if (!(error instanceof WritesStoppedError)) throw error;
  };
  events.onEvent((event) =>
    event.kind === 'failed' ? recorder.record(event).catch(unlessStopped) : undefined,
  );
  events.onEvent((event) => rules.observe(event)?.catch(unlessStopped));
  outbox.start(container.get<AlertDelivery>(TOKENS.AlertDelivery));
  // The health check reads again only the queues whose events say they changed, and keeps the
  // latest processing times from completions rather than reading them again. When events were
  // missed, every queue is read in full again, processing times included.
  const lostTrack = (): void => {
    activity.touchAll();
    processingTimes.forgetAll();
  };
  events.onActivity((queueNames) => {
    if (queueNames === 'all') lostTrack();
    else activity.touch(queueNames);
  });
  events.onEvent((event) => {
    if (event.kind === 'completed' && event.processingTime !== null) {
      processingTimes.record(event.queueName, event.processingTime);
    }
  });
  events.onGap((gap) => {
    gaps.record(gap);
    lostTrack();
  });
  // Queues found after start-up have their whole stream read: it began while they were unknown.
  let startedUp = false;
  const refresh = async (): Promise<void> => {
    await queues.refresh();
    events.follow(queues.names(), startedUp ? 'beginning' : 'now');
  };

  if (await becameReady(redis, firstConnectionWaitMs)) {
    await refresh();
  } else {
    logger.warn('Redis is not reachable yet; serving anyway and reporting it unhealthy', {
      redis: redactUrl(config.redisUrl),
    });
  }
  events.follow(queues.names());
  await events.start();
  startedUp = true;
  // Not awaited: with Redis away, subscribing waits for it, and start-up must not.
  customProgress
    .start((message) => {
      relay.relayCustomProgress(message);
    })
    .catch((error: unknown) => {
      logger.error('cannot subscribe to custom progress', { reason: String(error) });
    });

  // A Redis that comes back may hold queues created while it was away.
  const refreshInBackground = (): void => void refresh();
  redis.on('ready', refreshInBackground);
  const discovery = config.queues.discover
    ? setInterval(refreshInBackground, config.queues.discoveryIntervalMs)
    : undefined;
  const evaluation = setInterval(() => {
    rules.evaluateAll().catch(unlessStopped);
  }, config.alerts.evaluateIntervalMs);
  const prune = (): void => {
    failureStats.prune().catch((error: unknown) => {
      logger.warn('dead-letter retention failed; trying again later', { reason: String(error) });
    });
  };
  const pruning = setInterval(prune, config.alerts.deadLetter.pruneIntervalMs);
  prune();

  const stopBackground = async (): Promise<void> => {
    clearInterval(discovery);
    clearInterval(evaluation);
    clearInterval(pruning);
    redis.off('ready', refreshInBackground);
    // Clients are told to go (they reconnect to another instance); reading stops with a last
    // checkpoint before any unfinished work; deliveries under way finish; what still waits for
    // Redis is given up here and read again by the next start.
    await gateway.close();
    await Promise.all([events.stop(), customProgress.stop()]);
    await outbox.close();
    writes.stop();
    await Promise.all([
      deadLetters.close(),
      container.get<BullmqJobSubmitter>(TOKENS.JobSubmitter).close(),
    ]);
    redis.disconnect();
  };
  let server;
  try {
    server = await listen(container.get<Server>(TOKENS.HttpServer), config.host, config.port);
  } catch (error) {
    await stopBackground();
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
      // No new connections; requests under way get a few seconds to finish.
      const closing = server.close();
      await stopBackground();
      await closing;
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
