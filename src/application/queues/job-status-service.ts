import type { JobStatus } from './job-status.js';
import type { QueuePort } from '../ports/queue.port.js';
import type { MonitoredQueues } from './monitored-queues.js';

/** The outcome of looking a job up. */
export type JobLookup =
  | { readonly found: true; readonly job: JobStatus }
  | { readonly found: false; readonly reason: 'unknown-queue' | 'unknown-job' };

/** One job's state and progress: the polling fallback for clients without a socket. */
export class JobStatusService {
  constructor(
    private readonly queues: MonitoredQueues,
    private readonly queuePort: QueuePort,
  ) {}

  /** Only watched queues are read, so the endpoint cannot be used to probe arbitrary keys. */
  async find(queueName: string, jobId: string): Promise<JobLookup> {
    if (!this.queues.get(queueName)) return { found: false, reason: 'unknown-queue' };
    const job = await this.queuePort.readJob(queueName, jobId);
    return job ? { found: true, job } : { found: false, reason: 'unknown-job' };
  }
}
