import { ContainerModule } from 'inversify';
import { EventGapLog } from '../../application/events/event-gap-log.js';
import { HealthService } from '../../application/health/health-service.js';
import { ProcessingTimes } from '../../application/health/processing-times.js';
import { QueueActivity } from '../../application/health/queue-activity.js';
import type { DeliverySink } from '../../application/ports/delivery-sink.port.js';
import { ProgressRelay } from '../../application/progress/progress-relay.js';
import { JobStatusService } from '../../application/queues/job-status-service.js';
import { JobSubmitService } from '../../application/queues/job-submit-service.js';
import type { JobSubmitter } from '../../application/ports/job-submitter.port.js';
import type { ProgressGateway } from '../../adapters/socketio/progress-gateway.js';
import type { Clock } from '../../application/ports/clock.port.js';
import type { Logger } from '../../application/ports/logger.port.js';
import type { QueueDiscovery } from '../../application/ports/queue-discovery.port.js';
import type { QueuePort } from '../../application/ports/queue.port.js';
import type { RedisProbe } from '../../application/ports/redis-probe.port.js';
import { MonitoredQueues } from '../../application/queues/monitored-queues.js';
import type { PendingWrites } from '../../application/writes/pending-writes.js';
import { QueueListService } from '../../application/queues/queue-list-service.js';
import type { QueuewatchConfig } from '../config/load-config.js';
import { TOKENS } from '../tokens.js';

/** Bounds on what one health check samples per queue (see the README, "Cost"). */
const healthSamples = { activeJobs: 20, completedJobs: 10 } as const;

/** The use cases. */
export const applicationModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.MonitoredQueues)
    .toResolvedValue(
      (config: QueuewatchConfig, discovery: QueueDiscovery, logger: Logger) =>
        new MonitoredQueues(config.queues, discovery, logger),
      [TOKENS.Config, TOKENS.QueueDiscovery, TOKENS.Logger],
    )
    .inSingletonScope();
  bind(TOKENS.EventGapLog).toConstantValue(new EventGapLog());
  bind(TOKENS.QueueActivity).toConstantValue(new QueueActivity());
  bind(TOKENS.ProcessingTimes).toConstantValue(new ProcessingTimes(healthSamples.completedJobs));
  bind(TOKENS.HealthService)
    .toResolvedValue(
      (
        queues: MonitoredQueues,
        queuePort: QueuePort,
        probe: RedisProbe,
        clock: Clock,
        config: QueuewatchConfig,
        gaps: EventGapLog,
        activity: QueueActivity,
        processingTimes: ProcessingTimes,
        writes: PendingWrites,
      ) =>
        new HealthService(
          queues,
          queuePort,
          probe,
          clock,
          {
            redis: config.health.redis,
            samples: healthSamples,
            maxAgeMs: config.healthCacheMs,
            quietRefreshMs: config.healthQuietRefreshMs,
          },
          { gaps, activity, processingTimes, writes },
        ),
      [
        TOKENS.MonitoredQueues,
        TOKENS.QueuePort,
        TOKENS.RedisProbe,
        TOKENS.Clock,
        TOKENS.Config,
        TOKENS.EventGapLog,
        TOKENS.QueueActivity,
        TOKENS.ProcessingTimes,
        TOKENS.PendingWrites,
      ],
    )
    .inSingletonScope();
  bind(TOKENS.JobStatusService)
    .toResolvedValue(
      (queues: MonitoredQueues, queuePort: QueuePort) => new JobStatusService(queues, queuePort),
      [TOKENS.MonitoredQueues, TOKENS.QueuePort],
    )
    .inSingletonScope();
  bind(TOKENS.JobSubmitService)
    .toResolvedValue(
      (queues: MonitoredQueues, submitter: JobSubmitter) => new JobSubmitService(queues, submitter),
      [TOKENS.MonitoredQueues, TOKENS.JobSubmitter],
    )
    .inSingletonScope();
  bind(TOKENS.ProgressRelay)
    .toResolvedValue(
      (gateway: ProgressGateway, clock: Clock) =>
        new ProgressRelay(gateway.broadcaster satisfies DeliverySink, clock),
      [TOKENS.ProgressGateway, TOKENS.Clock],
    )
    .inSingletonScope();
  bind(TOKENS.QueueListService)
    .toResolvedValue(
      (queues: MonitoredQueues, queuePort: QueuePort) => new QueueListService(queues, queuePort),
      [TOKENS.MonitoredQueues, TOKENS.QueuePort],
    )
    .inSingletonScope();
});
