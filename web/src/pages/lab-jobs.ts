import type {
  CustomProgressPayload,
  JobCompletedPayload,
  JobFailedPayload,
  JobProgressPayload,
  SubmitJobBody,
} from '../../../src/application/contract/index.js';

/** Where a Lab job stands, as the dashboard has heard. */
export type LabJobState = 'waiting' | 'active' | 'retrying' | 'completed' | 'failed';

/** A job submitted from the Lab. */
export interface LabJob {
  readonly jobId: string;
  readonly queueName: string;
  readonly name: string;
  readonly state: LabJobState;
  readonly progress: unknown;
  readonly custom: unknown;
  readonly processingTime: number | null;
  readonly failedReason: string | null;
  readonly attemptsMade: number | null;
}

/** What happens to Lab jobs. */
export type LabAction =
  | { readonly type: 'submitted'; readonly body: SubmitJobBody; readonly name: string }
  | { readonly type: 'job-progress'; readonly payload: JobProgressPayload }
  | { readonly type: 'job-completed'; readonly payload: JobCompletedPayload }
  | { readonly type: 'job-failed'; readonly payload: JobFailedPayload }
  | { readonly type: 'custom-progress'; readonly payload: CustomProgressPayload };

/** Lab jobs, newest first. */
export function labJobsReducer(jobs: readonly LabJob[], action: LabAction): readonly LabJob[] {
  if (action.type === 'submitted') {
    const job: LabJob = {
      jobId: action.body.jobId,
      queueName: action.body.queueName,
      name: action.name,
      state: 'waiting',
      progress: 0,
      custom: null,
      processingTime: null,
      failedReason: null,
      attemptsMade: null,
    };
    return [job, ...jobs];
  }
  const { jobId, queueName } = action.payload;
  return jobs.map((job) =>
    job.jobId === jobId && job.queueName === queueName ? apply(job, action) : job,
  );
}

function apply(job: LabJob, action: Exclude<LabAction, { type: 'submitted' }>): LabJob {
  switch (action.type) {
    case 'job-progress':
      // A late progress never reopens a job that has ended.
      if (job.state === 'completed' || job.state === 'failed') return job;
      return {
        ...job,
        // The first read of a job not started yet says 0: it is still waiting.
        state: job.state === 'waiting' && action.payload.progress === 0 ? 'waiting' : 'active',
        progress: action.payload.progress,
      };
    case 'custom-progress':
      return { ...job, custom: action.payload.data };
    case 'job-completed':
      return {
        ...job,
        state: 'completed',
        progress: 100,
        processingTime: action.payload.processingTime,
      };
    case 'job-failed':
      return {
        ...job,
        state: action.payload.willRetry ? 'retrying' : 'failed',
        failedReason: action.payload.failedReason,
        attemptsMade: action.payload.attemptsMade,
      };
  }
}
