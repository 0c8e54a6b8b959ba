import { failureAlert } from '../../domain/alerting/failure-alert.js';
import {
  readFailures,
  type FailureReading,
  type FailureThreshold,
} from '../../domain/alerting/failure-rule.js';
import { stepAlert, type AlertState } from '../../domain/alerting/alert-state.js';
import { FailureWindow } from '../../domain/failure-rate/failure-window.js';
import type { JobEvent } from '../../domain/job-events/job-event.js';
import type { Clock } from '../ports/clock.port.js';
import type { MonitoredQueue, MonitoredQueues } from '../queues/monitored-queues.js';
import type { PendingWrites } from '../writes/pending-writes.js';
import type { AlertDispatcher } from './alert-dispatcher.js';

/** Settings of the rules that are not per queue. */
export interface FailureRulesOptions {
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
    | {
        readonly status: 'firing';
        readonly since: string;
        /** The incident's id once its notice is queued; `null` while it waits for Redis. */
        readonly incidentId: string | null;
        /** `pending`: Redis refused the notice so far; it is kept and retried. */
        readonly notification: 'queued' | 'pending';
      };
  readonly lastFailure: {
    readonly jobId: string;
    readonly error: string;
    readonly at: string;
  } | null;
}

interface QueueWatch {
  readonly window: FailureWindow;
  state: AlertState;
  /** The incident whose firing notice is queued; `null` when none is. */
  incidentId: string | null;
  /** Notices decided but not yet queued (Redis refused them so far). */
  waiting: number;
  /** The queue's notices, queued one after the other so a resolved one never overtakes its firing. */
  chain: Promise<void>;
  lastFailure: { jobId: string; error: string; at: number } | null;
}

/**
 * The failure-count rule of every watched queue: failures and completions go into the queue's
 * sliding window; after each change, and on a timer so quiet queues can recover, the window is
 * judged against the queue's threshold and the alert state machine decides whether to notify.
 * Notices are queued through the dispatcher in order per queue; one that Redis refuses is kept and
 * retried (PendingWrites), and the stats say so instead of claiming it was sent.
 */
export class FailureRules {
  private readonly watches = new Map<string, QueueWatch>();

  constructor(
    private readonly queues: MonitoredQueues,
    private readonly dispatcher: Pick<AlertDispatcher, 'firing' | 'resolved'>,
    private readonly writes: PendingWrites,
    private readonly clock: Clock,
    private readonly options: FailureRulesOptions,
  ) {}

  /**
   * Take one job event. Returns a promise only when it led to a notice: it settles once the notice
   * is queued.
   */
  observe(event: JobEvent): Promise<void> | undefined {
    if (event.kind !== 'failed' && event.kind !== 'completed') return undefined;
    const queue = this.queues.get(event.queueName);
    if (!queue) return undefined;
    const watch = this.watchOf(queue);
    if (event.kind === 'completed') {
      watch.window.record('completed', event.at);
    } else {
      watch.window.record('failed', event.at);
      watch.lastFailure = { jobId: event.jobId, error: event.failedReason, at: event.at };
    }
    return this.evaluate(queue, watch);
  }

  /** Judge every queue now (on a timer): a queue with no more failures recovers. */
  async evaluateAll(): Promise<void> {
    const notices: Promise<void>[] = [];
    for (const queue of this.queues.list()) {
      const watch = this.watches.get(queue.name);
      const notice = watch ? this.evaluate(queue, watch) : undefined;
      if (notice) notices.push(notice);
    }
    await Promise.all(notices);
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
                incidentId: watch.incidentId,
                notification: watch.waiting > 0 ? 'pending' : 'queued',
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
        waiting: 0,
        chain: Promise.resolve(),
        lastFailure: null,
      };
      this.watches.set(queue.name, watch);
    }
    return watch;
  }

  private evaluate(queue: MonitoredQueue, watch: QueueWatch): Promise<void> | undefined {
    const now = this.clock.now();
    const reading = readFailures(watch.window.counts(now), queue.failureThreshold);
    const before = watch.state;
    const step = stepAlert(before, reading, now, this.options.repeatIntervalMs);
    watch.state = step.state;
    if (step.transition === null) return undefined;
    // A firing notice that still waits for Redis says the same as a repeat would.
    if (step.transition === 'repeat' && watch.waiting > 0) return undefined;
    const incidentKey = `failure-rate/${queue.name}`;
    const since =
      step.state.status === 'firing'
        ? step.state.since
        : before.status === 'firing'
          ? before.since
          : now;
    const lastFailure = watch.lastFailure;
    const alertOf = (status: 'firing' | 'resolved', incidentId: string) =>
      failureAlert({
        incidentId,
        status,
        queueName: queue.name,
        priority: queue.priority,
        reading,
        threshold: queue.failureThreshold,
        recentJobId: lastFailure?.jobId ?? null,
        error: lastFailure?.error ?? null,
        startsAt: since,
        ...(status === 'resolved' ? { endsAt: now } : {}),
        labels: queue.labels ?? {},
      });
    const proposed = `${incidentKey}/${String(since)}`;
    // Run when the notices before it are queued: the incident id is the one they settled on.
    const notify =
      step.transition === 'resolve'
        ? async () => {
            await this.dispatcher.resolved(
              incidentKey,
              alertOf('resolved', watch.incidentId ?? proposed),
              now,
            );
            watch.incidentId = null;
          }
        : async () => {
            watch.incidentId = await this.dispatcher.firing(
              incidentKey,
              alertOf('firing', watch.incidentId ?? proposed),
              now,
              this.options.repeatIntervalMs,
            );
          };
    watch.waiting += 1;
    const queued = watch.chain
      .then(() => this.writes.keep('alert', notify))
      .finally(() => {
        watch.waiting -= 1;
      });
    watch.chain = queued.catch(() => undefined);
    return queued;
  }
}
