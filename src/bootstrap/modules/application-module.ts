import { ContainerModule } from 'inversify';
import { JobLogFollower } from '../../application/console/job-log-follower.js';
import { JobResume } from '../../application/progress/job-resume.js';
import { JobReadService } from '../../application/console/job-read-service.js';
import { JobSearchService } from '../../application/console/job-search-service.js';
import { ConsoleCommands } from '../../application/console/console-commands.js';
import { randomUUID } from 'node:crypto';
import { BulkOperations } from '../../application/console/bulk-operations.js';
import { JobActions } from '../../application/console/job-actions.js';
import { EventGapLog } from '../../application/events/event-gap-log.js';
import { HealthService } from '../../application/health/health-service.js';
import { ProcessingTimes } from '../../application/health/processing-times.js';
import { QueueActivity } from '../../application/health/queue-activity.js';
import { CustomProgressReceiver } from '../../application/progress/custom-progress.js';
import { ProgressRelay } from '../../application/progress/progress-relay.js';
import { JobStatusService } from '../../application/queues/job-status-service.js';
import { JobSubmitService } from '../../application/queues/job-submit-service.js';
import { MonitoredQueues } from '../../application/queues/monitored-queues.js';
import { QueueListService } from '../../application/queues/queue-list-service.js';
import { provide, provideValue } from '../provide.js';
import { TOKENS } from '../tokens.js';

/**
 * Jobs per Redis call of a bulk operation — fitted so that a chunk takes about 3 ms, its round
 * trips included — and finished operations kept to be read.
 */
const bulkOptions = {
  chunk: { start: 50, min: 10, max: 1_000, targetMs: 3, restRatio: 1 },
  keepFinished: 100,
} as const;

/** Bounds on what one health check samples per queue (see docs/http-api.md, "Cost"). */
const healthSamples = { activeJobs: 20, completedJobs: 10 } as const;

/** The use cases. */
export const applicationModule = new ContainerModule(({ bind }) => {
  provide(
    bind,
    TOKENS.MonitoredQueues,
    [TOKENS.Config, TOKENS.QueueDiscovery, TOKENS.Logger],
    (config, discovery, logger) => new MonitoredQueues(config.queues, discovery, logger),
  );
  provideValue(bind, TOKENS.EventGapLog, new EventGapLog());
  provideValue(bind, TOKENS.QueueActivity, new QueueActivity());
  provideValue(bind, TOKENS.ProcessingTimes, new ProcessingTimes(healthSamples.completedJobs));
  provide(
    bind,
    TOKENS.HealthService,
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
      TOKENS.Timer,
    ],
    (queues, queuePort, probe, clock, config, gaps, activity, processingTimes, writes, timer) =>
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
          keepFreshForMs: config.healthKeepFreshMs,
          timer,
        },
        { gaps, activity, processingTimes, writes },
      ),
  );
  provide(
    bind,
    TOKENS.JobStatusService,
    [TOKENS.MonitoredQueues, TOKENS.QueuePort],
    (queues, queuePort) => new JobStatusService(queues, queuePort),
  );
  provide(
    bind,
    TOKENS.JobReadService,
    [TOKENS.MonitoredQueues, TOKENS.JobBrowser, TOKENS.DeadLetterStore],
    (queues, browser, deadLetters) => new JobReadService(queues, browser, deadLetters),
  );
  provide(
    bind,
    TOKENS.JobSearchService,
    [TOKENS.MonitoredQueues, TOKENS.JobBrowser, TOKENS.Clock, TOKENS.Timer],
    (queues, browser, clock, timer) => new JobSearchService(queues, browser, clock, timer),
  );
  // The gateway serves the follow requests through it, and sends what it reads.
  provide(
    bind,
    TOKENS.JobLogFollower,
    [
      TOKENS.MonitoredQueues,
      TOKENS.JobBrowser,
      TOKENS.Timer,
      TOKENS.ProgressGateway,
      TOKENS.Logger,
    ],
    (queues, browser, timer, gateway, logger) => {
      const follower = new JobLogFollower(queues, browser, timer, gateway.logSink, logger);
      gateway.serveJobLogs(follower);
      return follower;
    },
  );
  // The gateway brings `resume: true` job subscriptions up to date through it.
  provide(
    bind,
    TOKENS.JobResume,
    [
      TOKENS.MonitoredQueues,
      TOKENS.QueuePort,
      TOKENS.JobBrowser,
      TOKENS.Clock,
      TOKENS.ProgressGateway,
    ],
    (queues, queuePort, browser, clock, gateway) => {
      const resume = new JobResume(queues, queuePort, browser, clock);
      gateway.serveResume(resume);
      return resume;
    },
  );
  provide(
    bind,
    TOKENS.JobSubmitService,
    [TOKENS.MonitoredQueues, TOKENS.JobSubmitter],
    (queues, submitter) => new JobSubmitService(queues, submitter),
  );
  provide(
    bind,
    TOKENS.ProgressRelay,
    [TOKENS.ProgressGateway, TOKENS.Clock],
    (gateway, clock) => new ProgressRelay(gateway.broadcaster, clock),
  );
  provide(
    bind,
    TOKENS.CustomProgress,
    [TOKENS.PubSub, TOKENS.Clock, TOKENS.Logger],
    (pubsub, clock, logger) => new CustomProgressReceiver(pubsub, clock, logger),
  );
  provide(
    bind,
    TOKENS.QueueListService,
    [TOKENS.MonitoredQueues, TOKENS.QueuePort],
    (queues, queuePort) => new QueueListService(queues, queuePort),
  );
  provide(
    bind,
    TOKENS.ConsoleCommands,
    [TOKENS.AuditTrail, TOKENS.Clock, TOKENS.Logger, TOKENS.Config],
    (trail, clock, logger, config) =>
      new ConsoleCommands(trail, clock, logger, config.auth.readOnly),
  );
  provide(
    bind,
    TOKENS.JobActions,
    [TOKENS.MonitoredQueues, TOKENS.JobControl, TOKENS.DeadLetterStore, TOKENS.ConsoleCommands],
    (queues, control, deadLetters, commands) =>
      new JobActions(queues, control, deadLetters, commands),
  );
  provide(
    bind,
    TOKENS.BulkOperations,
    [
      TOKENS.MonitoredQueues,
      TOKENS.BulkJobControl,
      TOKENS.ConsoleCommands,
      TOKENS.ProgressGateway,
      TOKENS.Clock,
      TOKENS.Timer,
    ],
    (queues, control, commands, gateway, clock, timer) =>
      new BulkOperations(
        queues,
        control,
        commands,
        {
          publish: (operation) => {
            gateway.announceOperation(operation);
          },
        },
        clock,
        timer,
        randomUUID,
        bulkOptions,
      ),
  );
});
