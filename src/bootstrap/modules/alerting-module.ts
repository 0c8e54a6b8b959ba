import { redisEndpointOf } from '../config/redis-connection-config.js';
import { bullmqWorkerConnection } from '../../adapters/redis/redis-connection.js';
import { ContainerModule } from 'inversify';
import { AlertDelivery } from '../../application/alerting/alert-delivery.js';
import { AlertDispatcher } from '../../application/alerting/alert-dispatcher.js';
import { AlertsService } from '../../application/alerting/alerts-service.js';
import { FailureRules } from '../../application/alerting/failure-rules.js';
import { DeadLetterRecorder } from '../../application/dead-letters/dead-letter-recorder.js';
import { FailureStatsService } from '../../application/dead-letters/failure-stats-service.js';
import type { AlertPort } from '../../application/ports/alert.port.js';
import { PendingWrites } from '../../application/writes/pending-writes.js';
import { BullmqAlertJobs } from '../../adapters/bullmq/alert-jobs.js';
import { redisFailureOf } from '../../adapters/redis/redis-failure.js';
import { BullmqAlertOutbox } from '../../adapters/bullmq/bullmq-alert-outbox.js';
import { BullmqDeadLetterStore } from '../../adapters/bullmq/bullmq-dead-letter-store.js';
import { PromMetrics } from '../../adapters/metrics/prom-metrics.js';
import { RedisAlertDedup } from '../../adapters/redis/redis-alert-dedup.js';
import { RedisAlertLog } from '../../adapters/redis/redis-alert-log.js';
import { RedisCheckpointStore } from '../../adapters/redis/redis-checkpoint-store.js';
import { redactOptions } from '../config/redact.js';
import { provide, provideValue } from '../provide.js';
import { TOKENS } from '../tokens.js';

/** How refused writes are retried: after 250 ms, then twice as long each time, at most 5 s. */
const writeRetries = { firstDelayMs: 250, maxDelayMs: 5_000 } as const;

/** At shutdown, how long alert deliveries and group flushes under way may take to finish (ms). */
const alertJobsCloseTimeoutMs = 10_000;

/** Dead-letter monitoring, alert rules, the outbox and the destinations (built beforehand). */
export function alertingModule(
  destinations: readonly AlertPort[],
  /** Unique to this process, so its alert claims are known as its own after a retry. */
  owner: string,
): ContainerModule {
  return new ContainerModule(({ bind }) => {
    provide(
      bind,
      TOKENS.PendingWrites,
      [TOKENS.Clock, TOKENS.Timer, TOKENS.Logger],
      (clock, timer, logger) => new PendingWrites(clock, timer, logger, writeRetries),
    );
    provideValue(bind, TOKENS.Metrics, new PromMetrics());
    provide(
      bind,
      TOKENS.AlertDedup,
      [TOKENS.RedisConnection, TOKENS.Config],
      (redis, config) => new RedisAlertDedup(redis, `${config.keyRoot}:alert-claim:`),
    );
    provide(
      bind,
      TOKENS.AlertLog,
      [TOKENS.RedisConnection, TOKENS.Config],
      (redis, config) => new RedisAlertLog(redis, `${config.keyRoot}:alerts`),
    );
    provide(
      bind,
      TOKENS.CheckpointStore,
      [TOKENS.RedisConnection, TOKENS.Config],
      (redis, config) => new RedisCheckpointStore(redis, config.instanceId, config.keyRoot),
    );
    provide(
      bind,
      TOKENS.DeadLetterStore,
      [TOKENS.RedisConnection, TOKENS.Config],
      (redis, config) =>
        new BullmqDeadLetterStore(redis, config.alerts.deadLetter.queueName, config.prefix),
    );
    provide(
      bind,
      TOKENS.AlertJobs,
      [TOKENS.RedisConnection, TOKENS.Config, TOKENS.Logger],
      (redis, config, logger) =>
        new BullmqAlertJobs(
          redis,
          {
            queueName: config.alerts.outboxQueueName,
            prefix: config.prefix,
            blockingConnection: () => bullmqWorkerConnection(redisEndpointOf(config)),
            closeTimeoutMs: alertJobsCloseTimeoutMs,
            connectionLost: (error) => redisFailureOf(error) === 'unavailable',
          },
          logger,
        ),
    );
    provide(
      bind,
      TOKENS.AlertOutbox,
      [TOKENS.RedisConnection, TOKENS.AlertJobs, TOKENS.Config],
      (redis, jobs, config) => new BullmqAlertOutbox(redis, jobs, config.alerts.delivery),
    );
    provide(
      bind,
      TOKENS.AlertDispatcher,
      [TOKENS.AlertIntake, TOKENS.AlertDedup, TOKENS.DirectNotifier, TOKENS.Logger],
      (intake, dedup, direct, logger) => new AlertDispatcher(intake, dedup, direct, logger, owner),
    );
    provide(
      bind,
      TOKENS.AlertDelivery,
      [TOKENS.AlertLog, TOKENS.Metrics, TOKENS.Clock, TOKENS.Logger],
      (log, metrics, clock, logger) => new AlertDelivery(destinations, log, metrics, clock, logger),
    );
    provide(
      bind,
      TOKENS.DeadLetterRecorder,
      [
        TOKENS.MonitoredQueues,
        TOKENS.QueuePort,
        TOKENS.DeadLetterStore,
        TOKENS.PendingWrites,
        TOKENS.Metrics,
      ],
      (queues, queuePort, deadLetters, writes, metrics) =>
        new DeadLetterRecorder(queues, queuePort, deadLetters, writes, metrics),
    );
    provide(
      bind,
      TOKENS.FailureRules,
      [
        TOKENS.MonitoredQueues,
        TOKENS.AlertDispatcher,
        TOKENS.PendingWrites,
        TOKENS.Clock,
        TOKENS.Config,
      ],
      (queues, dispatcher, writes, clock, config) =>
        new FailureRules(queues, dispatcher, writes, clock, {
          repeatIntervalMs: config.alerts.repeatIntervalMs,
        }),
    );
    provide(
      bind,
      TOKENS.FailureStatsService,
      [TOKENS.DeadLetterStore, TOKENS.FailureRules, TOKENS.Clock, TOKENS.Config],
      (deadLetters, rules, clock, config) =>
        new FailureStatsService(deadLetters, rules, clock, {
          maxAgeMs: config.alerts.deadLetter.maxAgeMs,
          maxCount: config.alerts.deadLetter.maxCount,
        }),
    );
    provide(
      bind,
      TOKENS.AlertsService,
      [
        TOKENS.AlertLog,
        TOKENS.AlertDelivery,
        TOKENS.AlertIntake,
        TOKENS.FiringAlerts,
        TOKENS.SilenceService,
        TOKENS.Clock,
        TOKENS.Config,
      ],
      (log, delivery, intake, firing, silences, clock, config) =>
        new AlertsService(
          {
            log,
            delivery,
            intake,
            firing,
            silences,
            inhibitRules: config.alerts.inhibitRules,
            clock,
          },
          config.alerts.destinations.map((destination) => ({
            name: destination.name,
            type: destination.type,
            minSeverity: destination.minSeverity,
            queues: destination.queues,
            options: redactOptions(destination.options),
          })),
        ),
    );
  });
}
