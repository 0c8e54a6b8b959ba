import type { Registry } from 'prom-client';
import type { MetricsReadings, QueueReadings } from '../../application/metrics/metrics-readings.js';
import type { Clock } from '../../application/ports/clock.port.js';
import type { JobCounts } from '../../domain/queue-health/index.js';
import { bucketRange, type Histogram } from '../../domain/history/latency-histogram.js';
import { registerCustomMetric, type Kind, type Sample } from './custom-metric.js';

/** Prometheus's `le` bounds for wait and processing times (s): 5 ms to 1 h. */
export const secondsBuckets = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600,
] as const;

const stateNames: readonly [keyof JobCounts, string][] = [
  ['waiting', 'waiting'],
  ['active', 'active'],
  ['completed', 'completed'],
  ['failed', 'failed'],
  ['delayed', 'delayed'],
  ['paused', 'paused'],
  ['prioritized', 'prioritized'],
  ['waitingChildren', 'waiting-children'],
];

/**
 * The queue metrics of `/metrics`, computed at each scrape from one reading shared by all of
 * them. Labels are the queue and the state only, never a job id, so the series stay bounded.
 * Counters and histograms come from the history's totals: counted once across instances, the
 * same on every instance, and kept over restarts.
 */
export function registerQueueMetrics(
  registry: Registry,
  read: () => Promise<MetricsReadings>,
  clock: Clock,
): void {
  const metric = (
    name: string,
    help: string,
    type: Kind,
    values: (readings: MetricsReadings) => Sample[],
  ): void => {
    registerCustomMetric(registry, name, help, type, async () => values(await read()));
  };
  const perQueue =
    (pick: (queue: QueueReadings) => number | null | undefined) => (readings: MetricsReadings) =>
      readings.queues.flatMap((queue) => {
        const value = pick(queue);
        return value === null || value === undefined || !Number.isFinite(value)
          ? []
          : [{ value, labels: { queue: queue.name } }];
      });

  metric('queuewatch_queue_jobs', 'Jobs in each state, as last read.', 'gauge', (readings) =>
    readings.queues.flatMap((queue) =>
      queue.counts === null
        ? []
        : stateNames.map(([key, state]) => ({
            value: queue.counts?.[key] ?? 0,
            labels: { queue: queue.name, state },
          })),
    ),
  );
  metric(
    'queuewatch_queue_paused',
    '1 while the queue is paused.',
    'gauge',
    perQueue((queue) => (queue.paused === null ? null : Number(queue.paused))),
  );
  metric(
    'queuewatch_queue_workers',
    'Connected workers.',
    'gauge',
    perQueue((queue) => queue.workers),
  );
  metric(
    'queuewatch_queue_oldest_waiting_age_seconds',
    'How long the job that has waited longest has been waiting (0 when none waits).',
    'gauge',
    perQueue((queue) => {
      if (!queue.totals) return null;
      const at = queue.totals.oldestWaitingAt;
      return at === null ? 0 : Math.max(0, (clock.now() - at) / 1000);
    }),
  );
  for (const [field, what] of [
    ['added', 'Jobs added'],
    ['completed', 'Jobs completed'],
    ['failed', 'Jobs failed for good'],
    ['retried', 'Attempts sent back to wait (failed with attempts left, stalled)'],
  ] as const) {
    metric(
      `queuewatch_queue_jobs_${field}_total`,
      `${what}, since the history began (every instance says the same).`,
      'counter',
      perQueue((queue) => queue.totals?.[field]),
    );
  }
  metric(
    'queuewatch_queue_wait_seconds',
    'From when a job could start to its first start.',
    'histogram',
    (readings) =>
      histogramSamples('queuewatch_queue_wait_seconds', readings, (queue) => queue.totals?.wait),
  );
  metric(
    'queuewatch_queue_processing_seconds',
    'From the start of the attempt that completed to its completion.',
    'histogram',
    (readings) =>
      histogramSamples(
        'queuewatch_queue_processing_seconds',
        readings,
        (queue) => queue.totals?.processing,
      ),
  );
  metric(
    'queuewatch_queue_backlog_jobs',
    'Waiting, prioritized and due delayed jobs.',
    'gauge',
    perQueue((queue) => queue.forecast?.backlog),
  );
  metric(
    'queuewatch_queue_arrivals_per_second',
    'Jobs added per second, averaged since the last step in arrivals (15 minutes at most).',
    'gauge',
    perQueue((queue) => (queue.forecast ? queue.forecast.arrivalPerMinute / 60 : null)),
  );
  metric(
    'queuewatch_queue_service_per_second',
    'Jobs finished per second while the workers have a backlog, averaged since the last step.',
    'gauge',
    perQueue((queue) => {
      const perMinute = queue.forecast?.servicePerMinute;
      return perMinute === null || perMinute === undefined ? null : perMinute / 60;
    }),
  );
  metric(
    'queuewatch_queue_drain_seconds',
    'Predicted time until the backlog is gone (0 when empty; absent when it grows or cannot be told).',
    'gauge',
    perQueue((queue) => {
      const drain = queue.forecast?.drain;
      if (drain?.status === 'empty') return 0;
      return drain?.status === 'draining' ? drain.seconds : null;
    }),
  );
  metric(
    'queuewatch_queue_backlog_growth_per_second',
    'How fast the backlog grows when arrivals outpace service (0 otherwise).',
    'gauge',
    perQueue((queue) => {
      const drain = queue.forecast?.drain;
      if (!drain) return null;
      return drain.status === 'growing' ? drain.perMinute / 60 : 0;
    }),
  );
  metric(
    'queuewatch_queue_predicted_wait_seconds',
    'How long a job added now would wait for a worker.',
    'gauge',
    perQueue((queue) => queue.forecast?.predictedWaitSeconds),
  );
  metric(
    'queuewatch_queue_recommended_workers',
    'Workers the queue needs (Erlang C on the measured rates, bounded).',
    'gauge',
    perQueue((queue) => queue.forecast?.recommendation.workers),
  );
  metric(
    'queuewatch_alert_firing',
    "1 while the queue's failure-rate alert is firing.",
    'gauge',
    perQueue((queue) => (queue.alertFiring === null ? null : Number(queue.alertFiring))),
  );
  metric(
    'queuewatch_event_gaps_total',
    'Times this instance found events of the queue missing (trimmed unread, Redis data lost).',
    'counter',
    (readings) => [...readings.gaps].map(([queue, count]) => ({ value: count, labels: { queue } })),
  );
  metric(
    'queuewatch_alert_outbox_jobs',
    'Alert notifications in the outbox, per state.',
    'gauge',
    (readings) =>
      readings.outbox === null
        ? []
        : (['waiting', 'active', 'delayed', 'failed', 'completed'] as const).map((state) => ({
            value: readings.outbox?.[state] ?? 0,
            labels: { state },
          })),
  );
}

/** A Prometheus histogram per queue from history buckets: a bucket counts under the first `le` its upper bound fits. */
function histogramSamples(
  name: string,
  readings: MetricsReadings,
  pick: (queue: QueueReadings) => Histogram | undefined,
): Sample[] {
  return readings.queues.flatMap((queue) => {
    const histogram = pick(queue);
    if (!histogram) return [];
    const counts = secondsBuckets.map(() => 0);
    let count = 0;
    let sum = 0;
    for (const [bucket, n] of histogram) {
      if (n <= 0) continue;
      const { from, to } = bucketRange(bucket);
      count += n;
      sum += (n * (bucket === 0 ? 0 : (from + to) / 2)) / 1000;
      secondsBuckets.forEach((le, index) => {
        if (to / 1000 <= le) counts[index] = (counts[index] ?? 0) + n;
      });
    }
    return [
      ...secondsBuckets.map((le, index) => ({
        metricName: `${name}_bucket`,
        value: counts[index] ?? 0,
        labels: { queue: queue.name, le: String(le) },
      })),
      { metricName: `${name}_bucket`, value: count, labels: { queue: queue.name, le: '+Inf' } },
      { metricName: `${name}_sum`, value: sum, labels: { queue: queue.name } },
      { metricName: `${name}_count`, value: count, labels: { queue: queue.name } },
    ];
  });
}
