import { ContainerModule } from 'inversify';
import { serverOf } from '../../adapters/bullmq/redis-topology.js';
import { registerQueueMetrics } from '../../adapters/metrics/queue-metrics.js';
import { registerSocketMetrics } from '../../adapters/metrics/socket-metrics.js';
import { createHttpApp } from '../../adapters/http/create-http-app.js';
import { dashboardRoutes } from '../../adapters/http/dashboard.js';
import { createHttpServer } from '../../adapters/http/http-server.js';
import { OriginPolicy } from '../../adapters/http/origin-policy.js';
import { redisRateLimiting } from '../../adapters/http/rate-limit.js';
import { accessRoutes } from '../../adapters/http/routes/access-routes.js';
import { bulkOperationRoutes } from '../../adapters/http/routes/bulk-operation-routes.js';
import { alertRoutes } from '../../adapters/http/routes/alert-routes.js';
import { consoleReadRoutes } from '../../adapters/http/routes/console-read-routes.js';
import { failedJobRoutes } from '../../adapters/http/routes/failed-job-routes.js';
import { healthRoutes, probeRoutes } from '../../adapters/http/routes/health-routes.js';
import { jobActionRoutes } from '../../adapters/http/routes/job-action-routes.js';
import { forecastRoutes } from '../../adapters/http/routes/forecast-routes.js';
import { historyRoutes } from '../../adapters/http/routes/history-routes.js';
import { jobRoutes } from '../../adapters/http/routes/job-routes.js';
import { metricsRoutes } from '../../adapters/http/routes/metrics-routes.js';
import { openApiRoutes } from '../../adapters/http/routes/openapi-routes.js';
import { queueRoutes } from '../../adapters/http/routes/queue-routes.js';
import { submitRoutes } from '../../adapters/http/routes/submit-routes.js';
import { redisFailureOf } from '../../adapters/redis/redis-failure.js';
import { provide } from '../provide.js';
import { TOKENS } from '../tokens.js';

/** The Express app with every route, and its (not yet listening) HTTP server. */
export const httpModule = new ContainerModule(({ bind }) => {
  provide(bind, TOKENS.OriginPolicy, [TOKENS.Config], (config) => new OriginPolicy(config.http));
  // Counters on the commands connection: short commands, failing at once while Redis is away.
  provide(
    bind,
    TOKENS.RateLimiter,
    [TOKENS.Config, TOKENS.Logger, TOKENS.RedisConnection],
    (config, logger, redis) =>
      redisRateLimiting({
        // SCRIPT LOAD names no key: on a cluster it goes to the master of the counters' slot,
        // where EVALSHA then finds the script.
        sendCommand: (command, ...args) =>
          (command.toUpperCase() === 'SCRIPT' ? serverOf(redis, config.keyRoot) : redis).call(
            command,
            ...args,
          ),
        keyPrefix: `${config.keyRoot}:rate-limit:`,
        tokens: config.auth.tokens,
        logger,
      }),
  );
  provide(
    bind,
    TOKENS.HttpApp,
    [
      TOKENS.Config,
      TOKENS.Logger,
      TOKENS.HealthService,
      TOKENS.QueueListService,
      TOKENS.JobStatusService,
      TOKENS.FailureStatsService,
      TOKENS.AlertsService,
      TOKENS.Metrics,
      TOKENS.JobSubmitService,
      TOKENS.OriginPolicy,
      TOKENS.RateLimiter,
      TOKENS.ProgressGateway,
      TOKENS.Lifecycle,
      TOKENS.JobReadService,
      TOKENS.JobSearchService,
      TOKENS.ConsoleCommands,
      TOKENS.JobActions,
      TOKENS.BulkOperations,
      TOKENS.HistoryService,
      TOKENS.ForecastService,
      TOKENS.MetricsReadings,
      TOKENS.Clock,
      TOKENS.SilenceService,
    ],
    (
      config,
      logger,
      health,
      queues,
      jobs,
      failures,
      alerts,
      metrics,
      submit,
      origins,
      limit,
      gateway,
      lifecycle,
      reads,
      search,
      commands,
      actions,
      operations,
      history,
      forecasts,
      readings,
      clock,
      silences,
    ) => {
      registerQueueMetrics(metrics.registry, () => readings.read(), clock);
      registerSocketMetrics(metrics.registry, () => gateway.broadcaster.readings());
      return createHttpApp({
        openRoutes: [probeRoutes(health)],
        apiRoutes: [
          accessRoutes(commands),
          healthRoutes(health),
          queueRoutes(queues),
          jobRoutes(jobs),
          consoleReadRoutes(reads, search),
          jobActionRoutes(actions),
          bulkOperationRoutes(operations),
          submitRoutes(
            submit,
            commands,
            limit('job-submissions', 'job submissions', config.http.rateLimits.jobSubmissions),
          ),
          failedJobRoutes(failures),
          alertRoutes(
            alerts,
            silences,
            commands,
            limit('test-alerts', 'test alerts', config.http.rateLimits.testAlerts),
          ),
          historyRoutes(history),
          forecastRoutes(forecasts),
          metricsRoutes(metrics.registry),
          openApiRoutes(async () => {
            // Loaded with the first request for it, not at start.
            const { buildOpenApiDocument } =
              await import('../../adapters/http/openapi/build-openapi-document.js');
            return buildOpenApiDocument({ bearerAuth: config.auth.tokens.length > 0 });
          }),
        ],
        originPolicy: origins,
        tokens: config.auth.tokens,
        dashboard: dashboardRoutes(config.webRoot, { socketPath: () => gateway.path }),
        isOpen: () => !lifecycle.stopped,
        logger,
        // Commands time out on their own; a request of several gets one second more.
        store: {
          failureOf: redisFailureOf,
          deadlineMs: config.redisCommandTimeoutMs + 1_000,
          notBound: ['/api/v1/alerts/test'],
        },
      });
    },
  );
  provide(bind, TOKENS.HttpServer, [TOKENS.HttpApp], (app) => createHttpServer(app));
});
