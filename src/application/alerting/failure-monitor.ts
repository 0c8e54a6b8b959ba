import { failureAlert, truncate } from '../../domain/alerting/failure-alert.js';
import {
  readFailures,
  type FailureReading,
  type FailureThreshold,
} from '../../domain/alerting/failure-rule.js';
import { stepAlert, type AlertState } from '../../domain/alerting/alert-state.js';
import { FailureWindow } from '../../domain/failure-rate/failure-window.js';
import type { JobEvent } from '../../domain/job-events/job-event.js';
import type { Clock } from '../ports/clock.port.js';
import type { DeadLetterStore } from '../ports/dead-letter-store.port.js';
import type { Logger } from '../ports/logger.port.js';
import type { MetricsRecorder } from '../ports/metrics.port.js';
import type { QueuePort } from '../ports/queue.port.js';
import type { MonitoredQueue, MonitoredQueues } from '../queues/monitored-queues.js';
import type { AlertDispatcher } from './alert-dispatcher.js';

/** Bounds on what a dead-letter record keeps of a failure. */
export const deadLetterBounds = {
  failedReason: 2_000,
  stackLines: 20,
  stackLineLength: 300,
  data: 2_000,
} as const;

/** Settings of the monitor that are not per queue. */
export interface FailureMonitorOptions {
  /** While an alert fires, how long before it is sent again (ms). */
  readonly repeatIntervalMs: number;
}

/** One queue's failure window and alert state, as `GET /api/v1/jobs/failed/stats` shows it. */
export interface QueueFailureStats {
  readonly queueName: string;
  readonly priority: string;
  readonly threshold: FailureThreshold;
  readonly window: FailureReading & { readonly windowMs: number };
  readonly alert:
    | { readonly status: 'ok' }
    | { readonly status: 'firing'; readonly since: string; readonly incidentId: string };
  readonly lastFailure: {
    readonly jobId: string;
    readonly error: string;
    readonly at: string;
  } | null;
}

interface QueueWatch {
  readonly window: FailureWindow;
  state: AlertState;
  incidentId: string | null;
  lastFailure: { jobId: string; error: string; at: number } | null;
}

/**
 * Follows job events: every failure goes to the dead-letter queue and the queue's sliding
 * window; completions go to the window too (for the rate). After each change, and on a timer so
 * quiet queues can recover, the window is judged against the queue's threshold and the alert
 * state machine decides whether to notify.
 */
export class FailureMonitor {
  private readonly watches = new Map<string, QueueWatch>();

  constructor(
    private readonly queues: MonitoredQueues,
    private readonly queuePort: QueuePort,
    private readonly deadLetters: DeadLetterStore,
    private readonly dispatcher: Pick<AlertDispatcher, 'firing' | 'resolved'>,
    private readonly clock: Clock,
    private readonly metrics: MetricsRecorder,
    private readonly logger: Logger,
    private readonly options: FailureMonitorOptions,
  ) {}

  /** Take one job event; resolves once its dead-letter record is written. */
  async handle(event: JobEvent): Promise<void> {
    if (event.kind !== 'failed' && event.kind !== 'completed') return;
    const queue = this.queues.get(event.queueName);
    if (!queue) return;
    const watch = this.watchOf(queue);
    if (event.kind === 'completed') {
      watch.window.record('completed', event.at);
    } else {
      watch.window.record('failed', event.at);
      watch.lastFailure = { jobId: event.jobId, error: event.failedReason, at: event.at };
      this.metrics.jobFailed(queue.name);
      await this.recordDeadLetter(queue, event);
    }
    await this.evaluate(queue, watch);
  }

  /** Judge every queue now (on a timer): a queue with no more failures recovers. */
  async evaluateAll(): Promise<void> {
    for (const queue of this.queues.list()) {
      const watch = this.watches.get(queue.name);
      if (watch) await this.evaluate(queue, watch);
    }
  }

  stats(): QueueFailureStats[] {
    const now = this.clock.now();
    return this.queues.list().map((queue) => {
      const watch = this.watchOf(queue);
      const reading = readFailures(watch.window.counts(now), queue.failureThreshold);
      return {
        queueName: queue.name,
        priority: queue.priority,
        threshold: queue.failureThreshold,
        window: { ...reading, windowMs: queue.failureThreshold.windowMs },
        alert:
          watch.state.status === 'firing'
            ? {
                status: 'firing',
                since: new Date(watch.state.since).toISOString(),
                incidentId: watch.incidentId ?? '',
              }
            : { status: 'ok' },
        lastFailure: watch.lastFailure && {
          jobId: watch.lastFailure.jobId,
          error: watch.lastFailure.error,
          at: new Date(watch.lastFailure.at).toISOString(),
        },
      };
    });
  }

  private watchOf(queue: MonitoredQueue): QueueWatch {
    let watch = this.watches.get(queue.name);
    if (!watch) {
      watch = {
        window: new FailureWindow(queue.failureThreshold.windowMs),
        state: { status: 'ok' },
        incidentId: null,
        lastFailure: null,
      };
      this.watches.set(queue.name, watch);
    }
    return watch;
  }

  private async evaluate(queue: MonitoredQueue, watch: QueueWatch): Promise<void> {
    const now = this.clock.now();
    const reading = readFailures(watch.window.counts(now), queue.failureThreshold);
    const step = stepAlert(watch.state, reading, now, this.options.repeatIntervalMs);
    const before = watch.state;
    watch.state = step.state;
    if (step.transition === null) return;
    const incidentKey = `failure-rate/${queue.name}`;
    const since =
      step.state.status === 'firing'
        ? step.state.since
        : before.status === 'firing'
          ? before.since
          : now;
    const alertOf = (status: 'firing' | 'resolved', incidentId: string) =>
      failureAlert({
        incidentId,
        status,
        queueName: queue.name,
        priority: queue.priority,
        reading,
        threshold: queue.failureThreshold,
        recentJobId: watch.lastFailure?.jobId ?? null,
        error: watch.lastFailure?.error ?? null,
        startsAt: since,
        ...(status === 'resolved' ? { endsAt: now } : {}),
      });
    try {
      if (step.transition === 'resolve') {
        await this.dispatcher.resolved(
          incidentKey,
          alertOf('resolved', watch.incidentId ?? `${incidentKey}/${String(since)}`),
          now,
        );
        watch.incidentId = null;
      } else {
        const proposed = watch.incidentId ?? `${incidentKey}/${String(since)}`;
        watch.incidentId = await this.dispatcher.firing(
          incidentKey,
          alertOf('firing', proposed),
          now,
          this.options.repeatIntervalMs,
        );
      }
    } catch (error) {
      // The state already moved; a failed notification is logged, not retried here (Redis is
      // the outbox's store too, so it is down as well).
      this.logger.error('could not queue an alert notification', {
        queue: queue.name,
        transition: step.transition,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  }

  private async recordDeadLetter(
    queue: MonitoredQueue,
    event: Extract<JobEvent, { kind: 'failed' }>,
  ): Promise<void> {
    try {
      // Read with the event as a rule; only when it was not, the job hash is read here.
      const details =
        event.job !== undefined
          ? event.job
          : await this.queuePort.readFailureDetails(queue.name, event.jobId);
      await this.deadLetters.record({
        id: `${queue.name}|${event.jobId}|${String(event.attemptsMade ?? 0)}`,
        queueName: queue.name,
        jobId: event.jobId,
        jobName: details?.name ?? null,
        failedReason: truncate(event.failedReason, deadLetterBounds.failedReason),
        stacktrace: (details?.stacktrace ?? [])
          .slice(0, deadLetterBounds.stackLines)
          .map((line) => truncate(line, deadLetterBounds.stackLineLength)),
        attemptsMade: event.attemptsMade,
        willRetry: event.willRetry,
        failedAt: new Date(event.at).toISOString(),
        priority: queue.priority,
        dataPreview:
          details?.data === undefined || details.data === null
            ? null
            : truncate(details.data, deadLetterBounds.data),
      });
    } catch (error) {
      this.logger.error('could not record a failed job in the dead-letter queue', {
        queue: queue.name,
        jobId: event.jobId,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  }
}
