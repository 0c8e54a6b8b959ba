import type { SubmitJobBody } from '../contract/jobs.js';
import type { JobSubmitter } from '../ports/job-submitter.port.js';
import type { MonitoredQueues } from './monitored-queues.js';

/** The outcome of a submission. */
export type Submission =
  | { readonly submitted: true; readonly body: SubmitJobBody }
  | { readonly submitted: false; readonly reason: 'unknown-queue' };

/** Submits a job to a watched queue, for the dashboard's Lab. */
export class JobSubmitService {
  constructor(
    private readonly queues: MonitoredQueues,
    private readonly submitter: JobSubmitter,
  ) {}

  /** Only watched queues take jobs, so the endpoint cannot create arbitrary queues. */
  async submit(queueName: string, name: string, data: unknown): Promise<Submission> {
    if (!this.queues.get(queueName)) return { submitted: false, reason: 'unknown-queue' };
    const jobId = await this.submitter.submit(queueName, name, data);
    return { submitted: true, body: { jobId, queueName } };
  }
}
