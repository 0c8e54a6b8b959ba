import { ContainerModule } from 'inversify';
import { ForecastService } from '../../application/forecast/forecast-service.js';
import { MetricsReadingsService } from '../../application/metrics/metrics-readings.js';
import { HistoryKeeper } from '../../application/history/history-keeper.js';
import { HistoryService } from '../../application/history/history-service.js';
import { RedisHistoryStore } from '../../adapters/redis/redis-history-store.js';
import { provide } from '../provide.js';
import { TOKENS } from '../tokens.js';

/**
 * Each queue's minute and hour points (kept in Redis, recorded each second, read by the API), and
 * the forecasts made from them.
 */
export const historyModule = new ContainerModule(({ bind }) => {
  provide(
    bind,
    TOKENS.HistoryStore,
    [TOKENS.RedisConnection, TOKENS.Config],
    (connection, config) =>
      new RedisHistoryStore(
        connection,
        config.prefix,
        {
          minuteTtlSeconds: config.history.minuteTtlSeconds,
          hourTtlSeconds: config.history.hourTtlSeconds,
          entriesPerCall: 1_000,
          // A burst (a bulk retry writes thousands of events a second) is counted over several calls.
          budgetMicros: 2_000,
        },
        config.keyRoot,
      ),
  );
  provide(
    bind,
    TOKENS.HistoryKeeper,
    [
      TOKENS.HistoryStore,
      TOKENS.MonitoredQueues,
      TOKENS.QueuePort,
      TOKENS.Timer,
      TOKENS.Clock,
      TOKENS.Logger,
      TOKENS.Config,
      TOKENS.QueueActivity,
    ],
    (store, queues, queuePort, timer, clock, logger, config, activity) =>
      new HistoryKeeper(
        { store, queues, queuePort, timer, clock, logger, activity },
        {
          intervalMs: config.history.intervalMs,
          workersIntervalMs: 15_000,
          callsPerRound: 100,
          quietRefreshMs: 10_000,
        },
      ),
  );
  provide(
    bind,
    TOKENS.HistoryService,
    [TOKENS.HistoryStore, TOKENS.MonitoredQueues, TOKENS.Clock],
    (store, queues, clock) => new HistoryService(store, queues, clock),
  );
  provide(
    bind,
    TOKENS.ForecastService,
    [TOKENS.HistoryStore, TOKENS.MonitoredQueues, TOKENS.Clock, TOKENS.Config],
    (store, queues, clock, config) => new ForecastService(store, queues, clock, config.scaling),
  );
  provide(
    bind,
    TOKENS.MetricsReadings,
    [
      TOKENS.HealthService,
      TOKENS.HistoryStore,
      TOKENS.ForecastService,
      TOKENS.FailureStatsService,
      TOKENS.QueuePort,
      TOKENS.Clock,
      TOKENS.Config,
      TOKENS.EventGapLog,
    ],
    (health, history, forecasts, failures, queuePort, clock, config, gaps) =>
      new MetricsReadingsService(
        { health, history, forecasts, failures, queuePort, clock, gaps },
        config.alerts.outboxQueueName,
      ),
  );
});
