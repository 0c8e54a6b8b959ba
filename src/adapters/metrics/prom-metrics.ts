import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { MetricsRecorder } from '../../application/ports/metrics.port.js';

/** The counters behind `GET /metrics`, in Prometheus's text format. */
export class PromMetrics implements MetricsRecorder {
  readonly registry = new Registry();
  private readonly failures = new Counter({
    name: 'queuewatch_job_failures_total',
    help: 'Failed job attempts seen, per queue.',
    labelNames: ['queue'] as const,
    registers: [this.registry],
  });
  private readonly alerts = new Counter({
    name: 'queuewatch_alerts_total',
    help: 'Alert notifications sent, by status (firing or resolved).',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });
  private readonly deliveries = new Counter({
    name: 'queuewatch_alert_deliveries_total',
    help: 'Alert delivery tries, by destination and outcome (delivered, retrying, failed).',
    labelNames: ['destination', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly eventsRead = new Counter({
    name: 'queuewatch_events_read_total',
    help: 'Job events this instance read from the queues event streams, per queue.',
    labelNames: ['queue'] as const,
    registers: [this.registry],
  });
  private readonly readerLag = new Histogram({
    name: 'queuewatch_event_reader_lag_seconds',
    help: 'From when Redis wrote a job event to when this instance read it.',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'queuewatch_' });
    // Gauges named like counters (`…_total`), against Prometheus's naming rules: left out.
    for (const name of [
      'active_handles_total',
      'active_requests_total',
      'active_resources_total',
    ]) {
      this.registry.removeSingleMetric(`queuewatch_nodejs_${name}`);
    }
  }

  jobFailed(queueName: string): void {
    this.failures.inc({ queue: queueName });
  }

  alertNotified(status: 'firing' | 'resolved'): void {
    this.alerts.inc({ status });
  }

  deliveryFinished(destination: string, outcome: 'delivered' | 'retrying' | 'failed'): void {
    this.deliveries.inc({ destination, outcome });
  }

  eventRead(queueName: string, lagSeconds: number): void {
    this.eventsRead.inc({ queue: queueName });
    this.readerLag.observe(lagSeconds);
  }
}
