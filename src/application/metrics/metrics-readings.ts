import type { JobCounts } from '../../domain/queue-health/index.js';
import type { QueueForecastBody } from '../contract/forecast.js';
import type { FailureStatsService } from '../dead-letters/failure-stats-service.js';
import type { EventGapLog } from '../events/event-gap-log.js';
import type { ForecastService } from '../forecast/forecast-service.js';
import type { HealthService } from '../health/health-service.js';
import type { Clock } from '../ports/clock.port.js';
import type { HistoryStore, HistoryTotals } from '../ports/history-store.port.js';
import type { QueuePort } from '../ports/queue.port.js';

/** What `/metrics` says of one queue; `null` for what could not be read. */
export interface QueueReadings {
  readonly name: string;
  readonly counts: JobCounts | null;
  readonly paused: boolean | null;
  readonly workers: number | null;
  readonly totals: HistoryTotals | null;
  readonly forecast: QueueForecastBody | null;
  readonly alertFiring: boolean | null;
}

/** Everything `/metrics` shows, read at once for one scrape. */
export interface MetricsReadings {
  readonly queues: readonly QueueReadings[];
  /** Jobs of the alert outbox per state; `null` when it could not be read. */
  readonly outbox: JobCounts | null;
  /** Event gaps this instance found, per queue. */
  readonly gaps: ReadonlyMap<string, number>;
}

/**
 * Reads what the metrics show: each queue's counts (the health report, cached briefly), its
 * history totals and forecast, and its alert; and the alert outbox. A part that fails is left
 * out of the scrape rather than failing it.
 */
export class MetricsReadingsService {
  private latest: { at: number; readings: Promise<MetricsReadings> } | null = null;

  constructor(
    private readonly parts: {
      readonly health: Pick<HealthService, 'check'>;
      readonly history: Pick<HistoryStore, 'totals'>;
      readonly forecasts: Pick<ForecastService, 'forecastAll'>;
      readonly failures: Pick<FailureStatsService, 'stats'>;
      readonly queuePort: Pick<QueuePort, 'readCounts'>;
      readonly gaps: Pick<EventGapLog, 'gapCounts'>;
      readonly clock: Clock;
    },
    private readonly outboxQueueName: string,
  ) {}

  /** One reading per scrape: the metrics of one scrape ask together and share it. */
  read(): Promise<MetricsReadings> {
    const now = this.parts.clock.now();
    if (this.latest && now - this.latest.at < 500) return this.latest.readings;
    const readings = this.readAll();
    this.latest = { at: now, readings };
    return readings;
  }

  private async readAll(): Promise<MetricsReadings> {
    const { health, history, forecasts, failures, queuePort } = this.parts;
    const [report, forecastList, stats, outbox] = await Promise.all([
      health.check().catch(() => null),
      forecasts.forecastAll().catch(() => []),
      failures.stats().catch(() => null),
      queuePort
        .readCounts([this.outboxQueueName])
        .then(([reading]) => (reading?.ok ? reading.value.counts : null))
        .catch(() => null),
    ]);
    const names = (report?.queues ?? []).map((queue) => queue.queueName);
    const totals = await history.totals(names).catch(() => new Map<string, HistoryTotals>());
    const forecastOf = new Map(forecastList.map((forecast) => [forecast.queueName, forecast]));
    const alertOf = new Map(
      (stats?.monitoredQueues ?? []).map((queue) => [queue.queueName, queue.alert.status]),
    );
    return {
      queues: (report?.queues ?? []).map((queue) => ({
        name: queue.queueName,
        counts: queue.stats,
        paused: queue.details?.isPaused ?? null,
        workers: queue.details?.workerCount ?? null,
        totals: totals.get(queue.queueName) ?? null,
        forecast: forecastOf.get(queue.queueName) ?? null,
        alertFiring: alertOf.has(queue.queueName)
          ? alertOf.get(queue.queueName) === 'firing'
          : null,
      })),
      outbox,
      gaps: new Map(this.parts.gaps.gapCounts()),
    };
  }
}
