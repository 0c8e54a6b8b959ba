import type { Clock } from '../ports/clock.port.js';
import type { GatewayDelivery } from '../ports/delivery-sink.port.js';
import type { JobBrowser } from '../ports/job-browser.port.js';
import type { QueuePort } from '../ports/queue.port.js';
import type { JobStatus } from '../queues/job-status.js';
import type { MonitoredQueues } from '../queues/monitored-queues.js';
import { completedDelivery, failedDelivery } from './progress-relay.js';

/**
 * What a client that subscribes to a job with `resume: true` — typically again, after a reconnect,
 * perhaps to another instance — may have missed of it that no later event would tell: its
 * completion or its final failure. It is read after the subscription is in place, so an ending
 * that happens meanwhile reaches the client live, or twice, but never not at all. Progress is not
 * resumed: a progress read now could reach the client after a completion sent live meanwhile, and
 * the next progress event says it anyway.
 */
export class JobResume {
  constructor(
    private readonly queues: MonitoredQueues,
    private readonly queuePort: QueuePort,
    private readonly browser: Pick<JobBrowser, 'locate'>,
    private readonly clock: Clock,
  ) {}

  /**
   * The events that bring a subscriber of this job up to date: in its queue, or (no queue named)
   * in every watched queue that holds a job of this id. Unwatched queues are never read.
   */
  async missed(jobId: string, queueName: string | null): Promise<GatewayDelivery[]> {
    const names =
      queueName === null
        ? (await this.browser.locate(this.queues.names(), jobId)).map((found) => found.queueName)
        : this.queues.get(queueName)
          ? [queueName]
          : [];
    const jobs = await Promise.all(names.map((name) => this.queuePort.readJob(name, jobId)));
    const now = this.clock.now();
    return jobs.flatMap((job) => (job ? deliveriesOf(job, now) : []));
  }
}

/** A finished job's completion or final failure, stamped with when it finished; else nothing. */
function deliveriesOf(job: JobStatus, now: number): GatewayDelivery[] {
  const { id: jobId, queueName } = job;
  switch (job.state) {
    case 'completed':
      return [
        completedDelivery({
          jobId,
          queueName,
          processingTime: job.processingTime,
          timestamp: job.finishedOn ?? now,
          ...(job.returnValue === undefined ? {} : { returnValue: job.returnValue }),
        }),
      ];
    case 'failed':
      return [
        failedDelivery({
          jobId,
          queueName,
          failedReason: job.failedReason ?? '',
          attemptsMade: job.attemptsMade,
          willRetry: false,
          timestamp: job.finishedOn ?? now,
        }),
      ];
    case 'waiting':
    case 'prioritized':
    case 'active':
    case 'delayed':
    case 'waiting-children':
    case 'unknown':
      return [];
  }
}
