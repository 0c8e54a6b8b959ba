import type { ForecastService } from '../application/forecast/forecast-service.js';
import type { MetricsReadingsService } from '../application/metrics/metrics-readings.js';
import type { HistoryKeeper } from '../application/history/history-keeper.js';
import type { HistoryService } from '../application/history/history-service.js';
import type { HistoryStore } from '../application/ports/history-store.port.js';
import type { Server } from 'node:http';
import type { Express } from 'express';
import type { RedisClient } from '../adapters/redis/redis-connection.js';
import type { AlertDelivery } from '../application/alerting/alert-delivery.js';
import type { AlertDispatcher } from '../application/alerting/alert-dispatcher.js';
import type { AlertIntake } from '../application/alerting/alert-intake.js';
import type { AlertsService } from '../application/alerting/alerts-service.js';
import type { ConditionRules } from '../application/alerting/condition-rules.js';
import type { DirectNotifier } from '../application/alerting/direct-notifier.js';
import type { FiringSweeper } from '../application/alerting/firing-sweeper.js';
import type { GroupFlusher } from '../application/alerting/group-flusher.js';
import type { SilenceService } from '../application/alerting/silence-service.js';
import type { AlertGroups, GroupFlushQueue } from '../application/ports/alert-groups.port.js';
import type { FiringAlerts } from '../application/ports/firing-alerts.port.js';
import type { FailureRules } from '../application/alerting/failure-rules.js';
import type { DeadLetterRecorder } from '../application/dead-letters/dead-letter-recorder.js';
import type { FailureStatsService } from '../application/dead-letters/failure-stats-service.js';
import type { ConsoleCommands } from '../application/console/console-commands.js';
import type { BulkOperations } from '../application/console/bulk-operations.js';
import type { JobActions } from '../application/console/job-actions.js';
import type { EventGapLog } from '../application/events/event-gap-log.js';
import type { JobLogFollower } from '../application/console/job-log-follower.js';
import type { JobResume } from '../application/progress/job-resume.js';
import type { JobReadService } from '../application/console/job-read-service.js';
import type { JobSearchService } from '../application/console/job-search-service.js';
import type { HealthService } from '../application/health/health-service.js';
import type { ProcessingTimes } from '../application/health/processing-times.js';
import type { QueueActivity } from '../application/health/queue-activity.js';
import type { AlertDedup } from '../application/ports/alert-dedup.port.js';
import type { AlertLog } from '../application/ports/alert-log.port.js';
import type { AlertOutbox } from '../application/ports/alert-outbox.port.js';
import type { BullmqAlertJobs } from '../adapters/bullmq/alert-jobs.js';
import type { AuditTrail } from '../application/ports/audit-trail.port.js';
import type { CheckpointStore } from '../application/ports/checkpoint-store.port.js';
import type { Clock } from '../application/ports/clock.port.js';
import type { DeadLetterStore } from '../application/ports/dead-letter-store.port.js';
import type { JobBrowser } from '../application/ports/job-browser.port.js';
import type { BulkJobControl } from '../application/ports/bulk-job-control.port.js';
import type { JobEventSource } from '../application/ports/job-event-source.port.js';
import type { JobSubmitter } from '../application/ports/job-submitter.port.js';
import type { Logger } from '../application/ports/logger.port.js';
import type { QueueDiscovery } from '../application/ports/queue-discovery.port.js';
import type { PubSubPort } from '../application/ports/pub-sub.port.js';
import type { QueuePort } from '../application/ports/queue.port.js';
import type { RedisProbe } from '../application/ports/redis-probe.port.js';
import type { Timer } from '../application/ports/timer.port.js';
import type { CustomProgressReceiver } from '../application/progress/custom-progress.js';
import type { ProgressRelay } from '../application/progress/progress-relay.js';
import type { JobStatusService } from '../application/queues/job-status-service.js';
import type { JobSubmitService } from '../application/queues/job-submit-service.js';
import type { MonitoredQueues } from '../application/queues/monitored-queues.js';
import type { QueueListService } from '../application/queues/queue-list-service.js';
import type { Watcher } from '../application/watch/watcher.js';
import type { PendingWrites } from '../application/writes/pending-writes.js';
import type { BullmqJobControl } from '../adapters/bullmq/bullmq-job-control.js';
import type { OriginPolicy } from '../adapters/http/origin-policy.js';
import type { RateLimiterFactory } from '../adapters/http/rate-limit.js';
import type { PromMetrics } from '../adapters/metrics/prom-metrics.js';
import type { ProgressGateway } from '../adapters/socketio/progress-gateway.js';
import type { QueuewatchConfig } from './config/load-config.js';

/** Whether the assembled Queuewatch has been stopped (bootstrap's own state). */
export interface Lifecycle {
  readonly stopped: boolean;
}

declare const holds: unique symbol;

/**
 * A container key that says what it holds. The type exists only for the compiler: binding a
 * factory whose dependencies do not match their keys (see `provide`), or reading a key as
 * something else (`resolve`), fails to compile.
 */
export type Token<T> = symbol & { readonly [holds]: (value: T) => T };

function token<T>(name: string): Token<T> {
  return Symbol.for(`queuewatch.${name}`) as Token<T>;
}

/** Every service identifier of the container, in one place. */
export const TOKENS = {
  Config: token<QueuewatchConfig>('Config'),
  Lifecycle: token<Lifecycle>('Lifecycle'),
  Logger: token<Logger>('Logger'),
  Clock: token<Clock>('Clock'),
  Timer: token<Timer>('Timer'),
  PendingWrites: token<PendingWrites>('PendingWrites'),
  RedisConnection: token<RedisClient>('RedisConnection'),
  EventReaderConnection: token<RedisClient>('EventReaderConnection'),
  SubscriberConnection: token<RedisClient>('SubscriberConnection'),
  RedisProbe: token<RedisProbe>('RedisProbe'),
  QueuePort: token<QueuePort>('QueuePort'),
  QueueDiscovery: token<QueueDiscovery>('QueueDiscovery'),
  JobEventSource: token<JobEventSource>('JobEventSource'),
  PubSub: token<PubSubPort>('PubSub'),
  CustomProgress: token<CustomProgressReceiver>('CustomProgress'),
  MonitoredQueues: token<MonitoredQueues>('MonitoredQueues'),
  EventGapLog: token<EventGapLog>('EventGapLog'),
  QueueActivity: token<QueueActivity>('QueueActivity'),
  ProcessingTimes: token<ProcessingTimes>('ProcessingTimes'),
  HealthService: token<HealthService>('HealthService'),
  QueueListService: token<QueueListService>('QueueListService'),
  JobStatusService: token<JobStatusService>('JobStatusService'),
  JobBrowser: token<JobBrowser>('JobBrowser'),
  JobReadService: token<JobReadService>('JobReadService'),
  JobSearchService: token<JobSearchService>('JobSearchService'),
  JobLogFollower: token<JobLogFollower>('JobLogFollower'),
  JobResume: token<JobResume>('JobResume'),
  ProgressRelay: token<ProgressRelay>('ProgressRelay'),
  Metrics: token<PromMetrics>('Metrics'),
  AlertDedup: token<AlertDedup>('AlertDedup'),
  AlertLog: token<AlertLog>('AlertLog'),
  AlertOutbox: token<AlertOutbox>('AlertOutbox'),
  AlertJobs: token<BullmqAlertJobs>('AlertJobs'),
  AlertDispatcher: token<AlertDispatcher>('AlertDispatcher'),
  AlertDelivery: token<AlertDelivery>('AlertDelivery'),
  AlertsService: token<AlertsService>('AlertsService'),
  AlertIntake: token<AlertIntake>('AlertIntake'),
  AlertGroups: token<AlertGroups>('AlertGroups'),
  GroupFlushQueue: token<GroupFlushQueue>('GroupFlushQueue'),
  GroupFlusher: token<GroupFlusher>('GroupFlusher'),
  FiringAlerts: token<FiringAlerts>('FiringAlerts'),
  SilenceService: token<SilenceService>('SilenceService'),
  DirectNotifier: token<DirectNotifier>('DirectNotifier'),
  FiringSweeper: token<FiringSweeper>('FiringSweeper'),
  CheckpointStore: token<CheckpointStore>('CheckpointStore'),
  DeadLetterStore: token<DeadLetterStore & { close(): Promise<void> }>('DeadLetterStore'),
  DeadLetterRecorder: token<DeadLetterRecorder>('DeadLetterRecorder'),
  FailureRules: token<FailureRules>('FailureRules'),
  ConditionRules: token<ConditionRules>('ConditionRules'),
  Watcher: token<Watcher>('Watcher'),
  FailureStatsService: token<FailureStatsService>('FailureStatsService'),
  JobSubmitter: token<JobSubmitter & { close(): Promise<void> }>('JobSubmitter'),
  JobSubmitService: token<JobSubmitService>('JobSubmitService'),
  AuditTrail: token<AuditTrail>('AuditTrail'),
  ConsoleCommands: token<ConsoleCommands>('ConsoleCommands'),
  JobControl: token<BullmqJobControl>('JobControl'),
  JobActions: token<JobActions>('JobActions'),
  BulkJobControl: token<BulkJobControl>('BulkJobControl'),
  BulkOperations: token<BulkOperations>('BulkOperations'),
  OriginPolicy: token<OriginPolicy>('OriginPolicy'),
  RateLimiter: token<RateLimiterFactory>('RateLimiter'),
  HttpApp: token<Express>('HttpApp'),
  HttpServer: token<Server>('HttpServer'),
  ProgressGateway: token<ProgressGateway>('ProgressGateway'),
  HistoryStore: token<HistoryStore>('HistoryStore'),
  HistoryKeeper: token<HistoryKeeper>('HistoryKeeper'),
  HistoryService: token<HistoryService>('HistoryService'),
  ForecastService: token<ForecastService>('ForecastService'),
  MetricsReadings: token<MetricsReadingsService>('MetricsReadings'),
} as const;
