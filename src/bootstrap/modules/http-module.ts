import { ContainerModule } from 'inversify';
import type { HealthService } from '../../application/health/health-service.js';
import type { Logger } from '../../application/ports/logger.port.js';
import type { QueueListService } from '../../application/queues/queue-list-service.js';
import { createHttpApp } from '../../adapters/http/create-http-app.js';
import { healthRoutes, probeRoutes } from '../../adapters/http/routes/health-routes.js';
import { queueRoutes } from '../../adapters/http/routes/queue-routes.js';
import type { QueuewatchConfig } from '../config/load-config.js';
import { TOKENS } from '../tokens.js';

/** The Express app with every route. */
export const httpModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.HttpApp)
    .toResolvedValue(
      (config: QueuewatchConfig, logger: Logger, health: HealthService, queues: QueueListService) =>
        createHttpApp({
          openRoutes: [probeRoutes(health)],
          apiRoutes: [healthRoutes(health), queueRoutes(queues)],
          apiToken: config.apiToken,
          logger,
        }),
      [TOKENS.Config, TOKENS.Logger, TOKENS.HealthService, TOKENS.QueueListService],
    )
    .inSingletonScope();
});
