import { ContainerModule } from 'inversify';
import { Watcher } from '../../application/watch/watcher.js';
import { provide } from '../provide.js';
import { TOKENS } from '../tokens.js';

/** The watch loop: every consumer of job events, and the timers. */
export const watchModule = new ContainerModule(({ bind }) => {
  provide(
    bind,
    TOKENS.Watcher,
    [
      TOKENS.Config,
      TOKENS.JobEventSource,
      TOKENS.CustomProgress,
      TOKENS.MonitoredQueues,
      TOKENS.ProgressRelay,
      TOKENS.DeadLetterRecorder,
      TOKENS.FailureRules,
      TOKENS.ProcessingTimes,
      TOKENS.QueueActivity,
      TOKENS.EventGapLog,
      TOKENS.FailureStatsService,
      TOKENS.Metrics,
      TOKENS.Clock,
      TOKENS.Timer,
      TOKENS.Logger,
    ],
    (
      config,
      events,
      customProgress,
      queues,
      relay,
      deadLetters,
      rules,
      processingTimes,
      activity,
      gaps,
      retention,
      metrics,
      clock,
      timer,
      logger,
    ) =>
      new Watcher(
        {
          events,
          customProgress,
          queues,
          relay,
          deadLetters,
          rules,
          processingTimes,
          activity,
          gaps,
          retention,
          metrics,
          clock,
          timer,
          logger,
        },
        {
          discoveryIntervalMs: config.queues.discover ? config.queues.discoveryIntervalMs : null,
          evaluateIntervalMs: config.alerts.evaluateIntervalMs,
          pruneIntervalMs: config.alerts.deadLetter.pruneIntervalMs,
        },
      ),
  );
});
