import { ContainerModule } from 'inversify';
import type { Redis } from 'ioredis';
import { AlertDelivery } from '../../application/alerting/alert-delivery.js';
import { AlertDispatcher } from '../../application/alerting/alert-dispatcher.js';
import { AlertsService } from '../../application/alerting/alerts-service.js';
import { FailureRules } from '../../application/alerting/failure-rules.js';
import { DeadLetterRecorder } from '../../application/dead-letters/dead-letter-recorder.js';
import { FailureStatsService } from '../../application/dead-letters/failure-stats-service.js';
import type { Timer } from '../../application/ports/timer.port.js';
import { PendingWrites } from '../../application/writes/pending-writes.js';
import type { AlertDestination } from '../../application/ports/alert-destination.port.js';
import type { Clock } from '../../application/ports/clock.port.js';
import type { Logger } from '../../application/ports/logger.port.js';
import type { QueuePort } from '../../application/ports/queue.port.js';
import type { MonitoredQueues } from '../../application/queues/monitored-queues.js';
import { BullmqAlertOutbox } from '../../adapters/bullmq/bullmq-alert-outbox.js';
import { BullmqDeadLetterStore } from '../../adapters/bullmq/bullmq-dead-letter-store.js';
import { PromMetrics } from '../../adapters/metrics/prom-metrics.js';
import { RedisAlertDedup } from '../../adapters/redis/redis-alert-dedup.js';
import { RedisAlertLog } from '../../adapters/redis/redis-alert-log.js';
import { RedisCheckpointStore } from '../../adapters/redis/redis-checkpoint-store.js';
import type { QueuewatchConfig } from '../config/load-config.js';
import { redactOptions } from '../config/redact.js';
import { TOKENS } from '../tokens.js';

/** How refused writes are retried: after 250 ms, then twice as long each time, at most 5 s. */
const writeRetries = { firstDelayMs: 250, maxDelayMs: 5_000 } as const;

/** At shutdown, how long alert deliveries under way may take to finish (ms). */
const outboxCloseTimeoutMs = 10_000;

/** Dead-letter monitoring, alert rules, the outbox and the destinations (built beforehand). */
export function alertingModule(
  destinations: readonly AlertDestination[],
  /** Unique to this process, so its alert claims are known as its own after a retry. */
  owner: string,
): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.PendingWrites)
      .toResolvedValue(
        (clock: Clock, timer: Timer, logger: Logger) =>
          new PendingWrites(clock, timer, logger, writeRetries),
        [TOKENS.Clock, TOKENS.Timer, TOKENS.Logger],
      )
      .inSingletonScope();
    bind(TOKENS.Metrics).toConstantValue(new PromMetrics());
    bind(TOKENS.AlertDestinations).toConstantValue(destinations);
    bind(TOKENS.AlertDedup)
      .toResolvedValue((redis: Redis) => new RedisAlertDedup(redis), [TOKENS.RedisConnection])
      .inSingletonScope();
    bind(TOKENS.AlertLog)
      .toResolvedValue((redis: Redis) => new RedisAlertLog(redis), [TOKENS.RedisConnection])
      .inSingletonScope();
    bind(TOKENS.CheckpointStore)
      .toResolvedValue(
        (redis: Redis, config: QueuewatchConfig) =>
          new RedisCheckpointStore(redis, config.instanceId),
        [TOKENS.RedisConnection, TOKENS.Config],
      )
      .inSingletonScope();
    bind(TOKENS.DeadLetterStore)
      .toResolvedValue(
        (redis: Redis, config: QueuewatchConfig) =>
          new BullmqDeadLetterStore(redis, config.alerts.deadLetter.queueName, config.prefix),
        [TOKENS.RedisConnection, TOKENS.Config],
      )
      .inSingletonScope();
    bind(TOKENS.AlertOutbox)
      .toResolvedValue(
        (redis: Redis, config: QueuewatchConfig, logger: Logger) =>
          new BullmqAlertOutbox(
            redis,
            {
              redisUrl: config.redisUrl,
              queueName: config.alerts.outboxQueueName,
              prefix: config.prefix,
              policy: config.alerts.delivery,
              closeTimeoutMs: outboxCloseTimeoutMs,
            },
            logger,
          ),
        [TOKENS.RedisConnection, TOKENS.Config, TOKENS.Logger],
      )
      .inSingletonScope();
    bind(TOKENS.AlertDispatcher)
      .toResolvedValue(
        (
          config: QueuewatchConfig,
          dedup: RedisAlertDedup,
          outbox: BullmqAlertOutbox,
          log: RedisAlertLog,
          metrics: PromMetrics,
          logger: Logger,
        ) =>
          new AlertDispatcher(
            config.alerts.destinations.map(({ name, minSeverity, queues }) => ({
              name,
              minSeverity,
              queues,
            })),
            dedup,
            outbox,
            log,
            metrics,
            logger,
            owner,
          ),
        [
          TOKENS.Config,
          TOKENS.AlertDedup,
          TOKENS.AlertOutbox,
          TOKENS.AlertLog,
          TOKENS.Metrics,
          TOKENS.Logger,
        ],
      )
      .inSingletonScope();
    bind(TOKENS.AlertDelivery)
      .toResolvedValue(
        (log: RedisAlertLog, metrics: PromMetrics, clock: Clock, logger: Logger) =>
          new AlertDelivery(destinations, log, metrics, clock, logger),
        [TOKENS.AlertLog, TOKENS.Metrics, TOKENS.Clock, TOKENS.Logger],
      )
      .inSingletonScope();
    bind(TOKENS.DeadLetterRecorder)
      .toResolvedValue(
        (
          queues: MonitoredQueues,
          queuePort: QueuePort,
          deadLetters: BullmqDeadLetterStore,
          writes: PendingWrites,
          metrics: PromMetrics,
        ) => new DeadLetterRecorder(queues, queuePort, deadLetters, writes, metrics),
        [
          TOKENS.MonitoredQueues,
          TOKENS.QueuePort,
          TOKENS.DeadLetterStore,
          TOKENS.PendingWrites,
          TOKENS.Metrics,
        ],
      )
      .inSingletonScope();
    bind(TOKENS.FailureRules)
      .toResolvedValue(
        (
          queues: MonitoredQueues,
          dispatcher: AlertDispatcher,
          writes: PendingWrites,
          clock: Clock,
          config: QueuewatchConfig,
        ) =>
          new FailureRules(queues, dispatcher, writes, clock, {
            repeatIntervalMs: config.alerts.repeatIntervalMs,
          }),
        [
          TOKENS.MonitoredQueues,
          TOKENS.AlertDispatcher,
          TOKENS.PendingWrites,
          TOKENS.Clock,
          TOKENS.Config,
        ],
      )
      .inSingletonScope();
    bind(TOKENS.FailureStatsService)
      .toResolvedValue(
        (
          deadLetters: BullmqDeadLetterStore,
          rules: FailureRules,
          clock: Clock,
          config: QueuewatchConfig,
        ) =>
          new FailureStatsService(deadLetters, rules, clock, {
            maxAgeMs: config.alerts.deadLetter.maxAgeMs,
            maxCount: config.alerts.deadLetter.maxCount,
          }),
        [TOKENS.DeadLetterStore, TOKENS.FailureRules, TOKENS.Clock, TOKENS.Config],
      )
      .inSingletonScope();
    bind(TOKENS.AlertsService)
      .toResolvedValue(
        (log: RedisAlertLog, delivery: AlertDelivery, clock: Clock, config: QueuewatchConfig) =>
          new AlertsService(
            log,
            delivery,
            config.alerts.destinations.map((destination) => ({
              name: destination.name,
              type: destination.type,
              minSeverity: destination.minSeverity,
              queues: destination.queues,
              options: redactOptions(destination.options),
            })),
            clock,
          ),
        [TOKENS.AlertLog, TOKENS.AlertDelivery, TOKENS.Clock, TOKENS.Config],
      )
      .inSingletonScope();
  });
}
