import { ContainerModule } from 'inversify';
import type { Redis } from 'ioredis';
import { AlertDelivery } from '../../application/alerting/alert-delivery.js';
import { AlertDispatcher } from '../../application/alerting/alert-dispatcher.js';
import { AlertsService } from '../../application/alerting/alerts-service.js';
import { FailureMonitor } from '../../application/alerting/failure-monitor.js';
import { FailureStatsService } from '../../application/dead-letters/failure-stats-service.js';
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

/** Dead-letter monitoring, alert rules, the outbox and the destinations (built beforehand). */
export function alertingModule(destinations: readonly AlertDestination[]): ContainerModule {
  return new ContainerModule(({ bind }) => {
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
        (config: QueuewatchConfig) =>
          new BullmqDeadLetterStore(
            config.redisUrl,
            config.alerts.deadLetter.queueName,
            config.prefix,
          ),
        [TOKENS.Config],
      )
      .inSingletonScope();
    bind(TOKENS.AlertOutbox)
      .toResolvedValue(
        (config: QueuewatchConfig, logger: Logger) =>
          new BullmqAlertOutbox(
            config.redisUrl,
            config.alerts.outboxQueueName,
            config.prefix,
            config.alerts.delivery,
            logger,
          ),
        [TOKENS.Config, TOKENS.Logger],
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
    bind(TOKENS.FailureMonitor)
      .toResolvedValue(
        (
          queues: MonitoredQueues,
          queuePort: QueuePort,
          deadLetters: BullmqDeadLetterStore,
          dispatcher: AlertDispatcher,
          clock: Clock,
          metrics: PromMetrics,
          logger: Logger,
          config: QueuewatchConfig,
        ) =>
          new FailureMonitor(queues, queuePort, deadLetters, dispatcher, clock, metrics, logger, {
            repeatIntervalMs: config.alerts.repeatIntervalMs,
          }),
        [
          TOKENS.MonitoredQueues,
          TOKENS.QueuePort,
          TOKENS.DeadLetterStore,
          TOKENS.AlertDispatcher,
          TOKENS.Clock,
          TOKENS.Metrics,
          TOKENS.Logger,
          TOKENS.Config,
        ],
      )
      .inSingletonScope();
    bind(TOKENS.FailureStatsService)
      .toResolvedValue(
        (
          deadLetters: BullmqDeadLetterStore,
          monitor: FailureMonitor,
          clock: Clock,
          config: QueuewatchConfig,
        ) =>
          new FailureStatsService(deadLetters, monitor, clock, {
            maxAgeMs: config.alerts.deadLetter.maxAgeMs,
            maxCount: config.alerts.deadLetter.maxCount,
          }),
        [TOKENS.DeadLetterStore, TOKENS.FailureMonitor, TOKENS.Clock, TOKENS.Config],
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
