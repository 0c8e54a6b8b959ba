import { ContainerModule } from 'inversify';
import type { Express } from 'express';
import type { HealthService } from '../../application/health/health-service.js';
import type { Logger } from '../../application/ports/logger.port.js';
import type { JobStatusService } from '../../application/queues/job-status-service.js';
import type { QueueListService } from '../../application/queues/queue-list-service.js';
import { createHttpApp } from '../../adapters/http/create-http-app.js';
import { createHttpServer } from '../../adapters/http/http-server.js';
import { healthRoutes, probeRoutes } from '../../adapters/http/routes/health-routes.js';
import { jobRoutes } from '../../adapters/http/routes/job-routes.js';
import { queueRoutes } from '../../adapters/http/routes/queue-routes.js';
import type { QueuewatchConfig } from '../config/load-config.js';
import { TOKENS } from '../tokens.js';

/** The Express app with every route, and its (not yet listening) HTTP server. */
export const httpModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.HttpApp)
    .toResolvedValue(
      (
        config: QueuewatchConfig,
        logger: Logger,
        health: HealthService,
        queues: QueueListService,
        jobs: JobStatusService,
      ) =>
        createHttpApp({
          openRoutes: [probeRoutes(health)],
          apiRoutes: [healthRoutes(health), queueRoutes(queues), jobRoutes(jobs)],
          apiToken: config.apiToken,
          logger,
        }),
      [
        TOKENS.Config,
        TOKENS.Logger,
        TOKENS.HealthService,
        TOKENS.QueueListService,
        TOKENS.JobStatusService,
      ],
    )
    .inSingletonScope();
  bind(TOKENS.HttpServer)
    .toResolvedValue((app: Express) => createHttpServer(app), [TOKENS.HttpApp])
    .inSingletonScope();
});
