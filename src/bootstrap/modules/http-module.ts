import { ContainerModule } from 'inversify';
import type { Express } from 'express';
import type { Redis } from 'ioredis';
import type { HealthService } from '../../application/health/health-service.js';
import type { Logger } from '../../application/ports/logger.port.js';
import type { JobStatusService } from '../../application/queues/job-status-service.js';
import type { QueueListService } from '../../application/queues/queue-list-service.js';
import { createHttpApp } from '../../adapters/http/create-http-app.js';
import { dashboardRoutes } from '../../adapters/http/dashboard.js';
import { OriginPolicy } from '../../adapters/http/origin-policy.js';
import { redisRateLimiting, type RateLimiterFactory } from '../../adapters/http/rate-limit.js';
import { redisFailureOf } from '../../adapters/redis/redis-failure.js';
import { submitRoutes } from '../../adapters/http/routes/submit-routes.js';
import type { JobSubmitService } from '../../application/queues/job-submit-service.js';
import { createHttpServer } from '../../adapters/http/http-server.js';
import { healthRoutes, probeRoutes } from '../../adapters/http/routes/health-routes.js';
import { alertRoutes } from '../../adapters/http/routes/alert-routes.js';
import { failedJobRoutes } from '../../adapters/http/routes/failed-job-routes.js';
import { jobRoutes } from '../../adapters/http/routes/job-routes.js';
import { metricsRoutes } from '../../adapters/http/routes/metrics-routes.js';
import type { AlertsService } from '../../application/alerting/alerts-service.js';
import type { FailureStatsService } from '../../application/dead-letters/failure-stats-service.js';
import type { PromMetrics } from '../../adapters/metrics/prom-metrics.js';
import { queueRoutes } from '../../adapters/http/routes/queue-routes.js';
import type { QueuewatchConfig } from '../config/load-config.js';
import { TOKENS } from '../tokens.js';

/** The Express app with every route, and its (not yet listening) HTTP server. */
export const httpModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.OriginPolicy)
    .toResolvedValue((config: QueuewatchConfig) => new OriginPolicy(config.http), [TOKENS.Config])
    .inSingletonScope();
  // Counters on the commands connection: short commands, failing at once while Redis is away.
  bind(TOKENS.RateLimiter)
    .toResolvedValue(
      (config: QueuewatchConfig, logger: Logger, redis: Redis) =>
        redisRateLimiting({
          sendCommand: (command, ...args) => redis.call(command, ...args),
          apiToken: config.apiToken,
          logger,
        }),
      [TOKENS.Config, TOKENS.Logger, TOKENS.RedisConnection],
    )
    .inSingletonScope();
  bind(TOKENS.HttpApp)
    .toResolvedValue(
      (
        config: QueuewatchConfig,
        logger: Logger,
        health: HealthService,
        queues: QueueListService,
        jobs: JobStatusService,
        failures: FailureStatsService,
        alerts: AlertsService,
        metrics: PromMetrics,
        submit: JobSubmitService,
        originPolicy: OriginPolicy,
        limit: RateLimiterFactory,
      ) =>
        createHttpApp({
          openRoutes: [probeRoutes(health)],
          apiRoutes: [
            healthRoutes(health),
            queueRoutes(queues),
            jobRoutes(jobs),
            submitRoutes(
              submit,
              limit('job-submissions', 'job submissions', config.http.rateLimits.jobSubmissions),
            ),
            failedJobRoutes(failures),
            alertRoutes(
              alerts,
              limit('test-alerts', 'test alerts', config.http.rateLimits.testAlerts),
            ),
            metricsRoutes(metrics.registry),
          ],
          originPolicy,
          apiToken: config.apiToken,
          dashboard: dashboardRoutes(config.webRoot),
          logger,
          // Commands time out on their own; a request of several gets one second more.
          store: {
            failureOf: redisFailureOf,
            deadlineMs: config.redisCommandTimeoutMs + 1_000,
            notBound: ['/api/v1/alerts/test'],
          },
        }),
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
      ],
    )
    .inSingletonScope();
  bind(TOKENS.HttpServer)
    .toResolvedValue((app: Express) => createHttpServer(app), [TOKENS.HttpApp])
    .inSingletonScope();
});
