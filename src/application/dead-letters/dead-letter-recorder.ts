import { truncate } from '../../domain/alerting/failure-alert.js';
import type { JobEvent } from '../../domain/job-events/job-event.js';
import type { DeadLetterStore } from '../ports/dead-letter-store.port.js';
import type { MetricsRecorder } from '../ports/metrics.port.js';
import type { QueuePort } from '../ports/queue.port.js';
import type { MonitoredQueues } from '../queues/monitored-queues.js';
import type { PendingWrites } from '../writes/pending-writes.js';

/** Bounds on what a dead-letter record keeps of a failure. */
export const deadLetterBounds = {
  failedReason: 2_000,
  stackLines: 20,
  stackLineLength: 300,
  data: 2_000,
} as const;

/** A failed attempt, as the job event stream reports it. */
export type FailedJobEvent = Extract<JobEvent, { kind: 'failed' }>;

/**
 * Keeps every failed attempt of a watched queue in the dead-letter queue, exactly once: the record
 * is named by the attempt's event (its id in the stream), so a replay after a restart or a second
 * instance writes the same record again rather than a second one. A write Redis refuses is kept
 * and retried until it is done (PendingWrites); the returned promise settles only then.
 */
export class DeadLetterRecorder {
  constructor(
    private readonly queues: MonitoredQueues,
    private readonly queuePort: QueuePort,
    private readonly deadLetters: DeadLetterStore,
    private readonly writes: PendingWrites,
    private readonly metrics: MetricsRecorder,
  ) {}

  /** Record a failed attempt; resolves once the record is in the dead-letter queue. */
  async record(event: FailedJobEvent): Promise<void> {
    const queue = this.queues.get(event.queueName);
    if (!queue) return;
    this.metrics.jobFailed(queue.name);
    await this.writes.keep('dead-letter', async () => {
      // Read with the event as a rule; only when it was not, the job hash is read here.
      const details =
        event.job !== undefined
          ? event.job
          : await this.queuePort.readFailureDetails(queue.name, event.jobId);
      await this.deadLetters.record({
        id: `${queue.name}|${event.jobId}|${event.eventId}`,
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
    });
  }
}
