import type {
  AlertsBody,
  FiringAlertsBody,
  SilenceBody,
  SilencesBody,
  TestAlertBody,
} from '../../../src/application/contract/alerts.js';
import { inMemoryCommands } from '../../support/in-memory-audit-trail.js';
import type {
  FailedJobStatsBody,
  RecentFailedJobsBody,
} from '../../../src/application/contract/failed-jobs.js';
import { JobReadService } from '../../../src/application/console/job-read-service.js';
import { JobSearchService } from '../../../src/application/console/job-search-service.js';
import type { JobBrowser } from '../../../src/application/ports/job-browser.port.js';
import { HealthService } from '../../../src/application/health/health-service.js';
import type { JobLookup } from '../../../src/application/queues/job-status-service.js';
import type { Submission } from '../../../src/application/queues/job-submit-service.js';
import { MonitoredQueues } from '../../../src/application/queues/monitored-queues.js';
import { QueueListService } from '../../../src/application/queues/queue-list-service.js';
import { createHttpApp } from '../../../src/adapters/http/create-http-app.js';
import { OriginPolicy } from '../../../src/adapters/http/origin-policy.js';
import {
  createHttpServer,
  listen,
  type ListeningServer,
} from '../../../src/adapters/http/http-server.js';
import { consoleReadRoutes } from '../../../src/adapters/http/routes/console-read-routes.js';
import { alertRoutes } from '../../../src/adapters/http/routes/alert-routes.js';
import { failedJobRoutes } from '../../../src/adapters/http/routes/failed-job-routes.js';
import { healthRoutes, probeRoutes } from '../../../src/adapters/http/routes/health-routes.js';
import { jobRoutes } from '../../../src/adapters/http/routes/job-routes.js';
import { metricsRoutes } from '../../../src/adapters/http/routes/metrics-routes.js';
import { openApiRoutes } from '../../../src/adapters/http/routes/openapi-routes.js';
import { buildOpenApiDocument } from '../../../src/adapters/http/openapi/build-openapi-document.js';
import { queueRoutes } from '../../../src/adapters/http/routes/queue-routes.js';
import { submitRoutes } from '../../../src/adapters/http/routes/submit-routes.js';
import { defaultFailureThreshold } from '../../../src/domain/alerting/failure-rule.js';
import { defaultHealthThresholds } from '../../../src/domain/queue-health/index.js';
import { FixedClock } from '../../support/fixed-clock.js';
import { InMemoryDeadLetters } from '../../support/in-memory-dead-letters.js';
import {
  InMemoryQueuePort,
  ScriptedDiscovery,
  StaticRedisProbe,
} from '../../support/fake-ports.js';
import { queueSnapshot } from '../../support/queue-snapshots.js';
import { RecordingLogger } from '../../support/recording-logger.js';

/** The one queue the app watches. */
export const watchedQueue = 'work';

/** What the routes passed on to the services, last call first out. */
export interface ServiceCalls {
  failedLimit: number | null;
  alertsLimit: number | null;
  find: { queue: string; id: string } | null;
  submit: { queue: string; name: string } | null;
}

/** A listening app with every API route, over services that record what they were asked. */
export interface EveryRouteApp {
  readonly server: ListeningServer;
  readonly calls: ServiceCalls;
  readonly logger: RecordingLogger;
  /** Forget the calls so far. */
  reset(): void;
}

/** Build the app as the container does (every route, no token, no dashboard) and listen. */
export async function serveEveryRoute(): Promise<EveryRouteApp> {
  const port = new InMemoryQueuePort().set(queueSnapshot({ name: watchedQueue }));
  const settings = {
    priority: 'medium' as const,
    thresholds: defaultHealthThresholds.queue,
    failureThreshold: defaultFailureThreshold,
  };
  const queues = new MonitoredQueues(
    {
      configured: [{ name: watchedQueue, ...settings }],
      discover: false,
      defaults: settings,
      excluded: [],
    },
    new ScriptedDiscovery(),
    new RecordingLogger(),
  );
  const health = new HealthService(queues, port, new StaticRedisProbe(), new FixedClock(0), {
    redis: defaultHealthThresholds.redis,
    samples: { activeJobs: 10, completedJobs: 10 },
    maxAgeMs: 0,
    quietRefreshMs: 0,
  });
  const calls: ServiceCalls = { failedLimit: null, alertsLimit: null, find: null, submit: null };
  const failures = {
    stats: (): Promise<FailedJobStatsBody> =>
      Promise.resolve({
        deadLetterQueue: {
          queueName: 'failed-jobs',
          size: 0,
          oldestFailedAt: null,
          newestFailedAt: null,
        },
        monitoredQueues: [],
      }),
    recent: (limit: number): Promise<RecentFailedJobsBody> => {
      calls.failedLimit = limit;
      return Promise.resolve({ jobs: [] });
    },
  };
  const alerts = {
    recent: (limit: number): Promise<AlertsBody> => {
      calls.alertsLimit = limit;
      return Promise.resolve({ alerts: [], destinations: [] });
    },
    sendTest: (): Promise<TestAlertBody> =>
      Promise.reject(new Error('the property tests send no test alert')),
    firing: (): Promise<FiringAlertsBody> => Promise.resolve({ alerts: [] }),
  };
  const silences = {
    list: (): Promise<SilencesBody> => Promise.resolve({ silences: [] }),
    create: (): Promise<SilenceBody> =>
      Promise.reject(new Error('the property tests create no silence')),
    expire: (): Promise<SilenceBody | null> => Promise.resolve(null),
  };
  const jobs = {
    find: (queue: string, id: string): Promise<JobLookup> => {
      calls.find = { queue, id };
      if (queue !== watchedQueue) return Promise.resolve({ found: false, reason: 'unknown-queue' });
      return Promise.resolve({
        found: true,
        job: {
          id,
          queueName: queue,
          name: 'job',
          state: 'waiting',
          progress: 0,
          attemptsMade: 0,
          failedReason: null,
          processedOn: null,
          finishedOn: null,
          processingTime: null,
        },
      });
    },
  };
  const submit = {
    submit: (queue: string, name: string): Promise<Submission> => {
      calls.submit = { queue, name };
      if (queue !== watchedQueue)
        return Promise.resolve({ submitted: false, reason: 'unknown-queue' });
      return Promise.resolve({ submitted: true, body: { jobId: '1', queueName: queue } });
    },
  };
  // Queues without jobs: the console's routes answer from their checks and an empty queue.
  const browser: JobBrowser = {
    range: (request) =>
      Promise.resolve({ total: 0, start: request.from.index, entries: [], next: null }),
    locate: () => Promise.resolve([]),
    detail: () => Promise.resolve(null),
    logs: () => Promise.resolve({ lines: [], total: 0 }),
    schedulers: () => Promise.resolve([]),
  };
  const logger = new RecordingLogger();
  const app = createHttpApp({
    openRoutes: [probeRoutes(health)],
    apiRoutes: [
      healthRoutes(health),
      queueRoutes(new QueueListService(queues, port)),
      jobRoutes(jobs),
      consoleReadRoutes(
        new JobReadService(queues, browser, new InMemoryDeadLetters()),
        new JobSearchService(queues, browser, new FixedClock(0), {
          delay: () => Promise.resolve(),
        }),
      ),
      submitRoutes(submit, inMemoryCommands()),
      failedJobRoutes(failures),
      alertRoutes(alerts, silences, inMemoryCommands()),
      metricsRoutes({
        metrics: () => Promise.resolve('# no metrics\n'),
        contentType: 'text/plain; version=0.0.4; charset=utf-8',
      }),
      openApiRoutes(() => Promise.resolve(buildOpenApiDocument({ bearerAuth: false }))),
    ],
    originPolicy: new OriginPolicy({ allowedOrigins: [], loopbackHostsOnly: true }),
    tokens: [],
    logger,
  });
  const server = await listen(createHttpServer(app), '127.0.0.1', 0);
  return {
    server,
    calls,
    logger,
    reset: () => {
      Object.assign(calls, { failedLimit: null, alertsLimit: null, find: null, submit: null });
      logger.lines.length = 0;
    },
  };
}
