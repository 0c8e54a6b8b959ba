import { ContainerModule } from 'inversify';
import { ConditionRules } from '../../application/alerting/condition-rules.js';
import { provide } from '../provide.js';
import { TOKENS } from '../tokens.js';

/** The condition rules (backlog, no workers, Redis down, …), judged on their own timer. */
export const conditionRulesModule = new ContainerModule(({ bind }) => {
  provide(
    bind,
    TOKENS.ConditionRules,
    [
      TOKENS.Config,
      TOKENS.MonitoredQueues,
      TOKENS.HealthService,
      TOKENS.ForecastService,
      TOKENS.HistoryStore,
      TOKENS.EventGapLog,
      TOKENS.RedisProbe,
      TOKENS.AlertDispatcher,
      TOKENS.PendingWrites,
      TOKENS.Clock,
      TOKENS.Timer,
      TOKENS.Logger,
    ],
    (
      config,
      queues,
      health,
      forecasts,
      history,
      gaps,
      redis,
      dispatcher,
      writes,
      clock,
      timer,
      logger,
    ) =>
      new ConditionRules(
        {
          queues,
          health,
          forecasts,
          history,
          gaps,
          redis,
          dispatcher,
          writes,
          clock,
          timer,
          logger,
        },
        {
          evaluateIntervalMs: config.alerts.evaluateIntervalMs,
          repeatIntervalMs: config.alerts.repeatIntervalMs,
          redisRules: config.conditionRules.redis,
          anyRules: config.conditionRules.anyConfigured,
          historyEnabled: config.history.enabled,
        },
      ),
  );
});
