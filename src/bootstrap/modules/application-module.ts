import { ContainerModule } from 'inversify';
import { HealthService } from '../../application/health/health-service.js';
import type { Clock } from '../../application/ports/clock.port.js';
import type { Logger } from '../../application/ports/logger.port.js';
import type { QueueDiscovery } from '../../application/ports/queue-discovery.port.js';
import type { QueuePort } from '../../application/ports/queue.port.js';
import type { RedisProbe } from '../../application/ports/redis-probe.port.js';
import { MonitoredQueues } from '../../application/queues/monitored-queues.js';
import { QueueListService } from '../../application/queues/queue-list-service.js';
import type { QueuewatchConfig } from '../config/load-config.js';
import { TOKENS } from '../tokens.js';

/** Bounds on what one health check samples per queue (see the README, "Cost"). */
const healthSamples = { activeJobs: 100, completedJobs: 20 } as const;

/** The use cases. */
export const applicationModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.MonitoredQueues)
    .toResolvedValue(
      (config: QueuewatchConfig, discovery: QueueDiscovery, logger: Logger) =>
        new MonitoredQueues(config.queues, discovery, logger),
      [TOKENS.Config, TOKENS.QueueDiscovery, TOKENS.Logger],
    )
    .inSingletonScope();
  bind(TOKENS.HealthService)
    .toResolvedValue(
      (
        queues: MonitoredQueues,
        queuePort: QueuePort,
        probe: RedisProbe,
        clock: Clock,
        config: QueuewatchConfig,
      ) =>
        new HealthService(queues, queuePort, probe, clock, {
          redis: config.health.redis,
          samples: healthSamples,
        }),
      [TOKENS.MonitoredQueues, TOKENS.QueuePort, TOKENS.RedisProbe, TOKENS.Clock, TOKENS.Config],
    )
    .inSingletonScope();
  bind(TOKENS.QueueListService)
    .toResolvedValue(
      (queues: MonitoredQueues, queuePort: QueuePort) => new QueueListService(queues, queuePort),
      [TOKENS.MonitoredQueues, TOKENS.QueuePort],
    )
    .inSingletonScope();
});
