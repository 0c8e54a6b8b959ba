import {
  waitP95Of,
  waitWindowStarts,
  type DrainSignal,
  type QueueSignals,
} from '../../domain/alerting/condition-reading.js';
import type { QueueConditionRule } from '../../domain/alerting/condition-rules.js';
import type { HealthReportBody, QueueHealthBody } from '../contract/health.js';
import type { EventGapLog } from '../events/event-gap-log.js';
import type { ForecastService } from '../forecast/forecast-service.js';
import type { HealthService } from '../health/health-service.js';
import type { HistoryStore } from '../ports/history-store.port.js';
import type { Logger } from '../ports/logger.port.js';
import type { MonitoredQueue } from '../queues/monitored-queues.js';
import { reasonOf } from '../../domain/wording/reason.js';

/** Where the condition rules' readings of the queues come from. */
export interface ConditionSignalSources {
  readonly health: Pick<HealthService, 'check'>;
  readonly forecasts: Pick<ForecastService, 'forecast'>;
  readonly history: Pick<HistoryStore, 'read' | 'totals'>;
  readonly gaps: Pick<EventGapLog, 'lastGapAt'>;
  readonly logger: Logger;
}

/**
 * What each queue's rules need, read once for all of them: the health report (counts, pause,
 * workers, stale jobs), the history (the oldest waiting job, measured waits), the forecast and the
 * event-gap log. A part that fails, or that a rule cannot use, is left out: its rules keep state.
 */
export async function readQueueSignals(
  sources: ConditionSignalSources,
  queues: readonly MonitoredQueue[],
  now: number,
  historyKept: boolean,
): Promise<Map<string, QueueSignals>> {
  const { health, history, forecasts, gaps, logger } = sources;
  const needs = (queue: MonitoredQueue, type: QueueConditionRule['type']) =>
    (historyKept || !historyRules.has(type)) &&
    (queue.rules ?? []).some((rule) => rule.type === type);
  const ageNames = queues.filter((queue) => needs(queue, 'oldest-waiting'));
  const [report, totals, waits, drains] = await Promise.all([
    settle(health.check(), 'health', logger),
    ageNames.length === 0
      ? undefined
      : settle(history.totals(ageNames.map((queue) => queue.name)), 'history totals', logger),
    Promise.all(
      queues.map((queue) => {
        const rule = (queue.rules ?? []).find((each) => each.type === 'wait-p95');
        if (!rule || !historyKept) return Promise.resolve(undefined);
        return settle(
          history
            .read(queue.name, 'minute', waitWindowStarts(now, rule.windowMs))
            .then((samples) => waitP95Of(samples.map((sample) => sample.wait))),
          'wait times',
          logger,
        );
      }),
    ),
    Promise.all(
      queues.map((queue) =>
        needs(queue, 'drain-time')
          ? settle(forecasts.forecast(queue.name), 'forecast', logger)
          : Promise.resolve(undefined),
      ),
    ),
  ]);
  const byName = new Map<string, QueueHealthBody>(
    (report?.queues ?? []).map((queue) => [queue.queueName, queue]),
  );
  const signals = new Map<string, QueueSignals>();
  queues.forEach((queue, index) => {
    const forecast = drains[index];
    const drain: DrainSignal | undefined = forecast
      ? {
          status: forecast.drain.status,
          seconds: forecast.drain.status === 'draining' ? forecast.drain.seconds : null,
          backlog: forecast.backlog,
        }
      : undefined;
    signals.set(queue.name, {
      ...healthSignals(byName.get(queue.name), report),
      ...(totals?.has(queue.name)
        ? { oldestWaitingAt: totals.get(queue.name)?.oldestWaitingAt ?? null }
        : {}),
      ...(waits[index] === undefined ? {} : { waitP95Ms: waits[index] }),
      ...(drain ? { drain } : {}),
      lastGapAt: gaps.lastGapAt(queue.name),
    });
  });
  return signals;
}

/** The rules that read the history (directly, or through the forecast). */
export const historyRules: ReadonlySet<QueueConditionRule['type']> = new Set([
  'oldest-waiting',
  'wait-p95',
  'drain-time',
]);

/** What the health report says of one queue; nothing when it could not be read. */
function healthSignals(
  queue: QueueHealthBody | undefined,
  report: HealthReportBody | undefined,
): QueueSignals {
  if (!report || !queue?.stats || !queue.details) return {};
  return {
    waiting: queue.stats.waiting,
    paused: queue.details.isPaused,
    workers: queue.details.workerCount,
    staleJobs: queue.details.staleJobs,
  };
}

/** The value, or `undefined` (logged) when reading it failed. */
async function settle<T>(
  reading: Promise<T>,
  what: string,
  logger: Logger,
): Promise<T | undefined> {
  try {
    return await reading;
  } catch (error) {
    logger.debug('a condition rule reading failed; its rules keep their state', {
      reading: what,
      reason: reasonOf(error),
    });
    return undefined;
  }
}
