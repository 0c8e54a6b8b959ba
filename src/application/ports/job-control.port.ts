import type { JobState } from '../contract/jobs.js';

/**
 * How an atomic change to one job went: done, or not, because the job is gone (`state: null`)
 * or was no longer in the state the change starts from (another operator, a worker).
 */
export type ControlOutcome =
  { readonly ok: true } | { readonly ok: false; readonly state: JobState | null };

/** What a new job is made of: a copy of another, or a dead-letter record's. */
export interface JobTemplate {
  readonly name: string;
  readonly data: unknown;
  /** BullMQ job options, without the ones that would tie the copy to the original. */
  readonly options: Readonly<Record<string, unknown>>;
}

/** The changes the console makes to jobs and queues; each change is one atomic step in Redis. */
export interface JobControl {
  /** The job's state, or `null` when the queue holds no such job. */
  stateOf(queueName: string, jobId: string): Promise<JobState | null>;
  /** Move a finished job back to wait, only if it is still in `from`. */
  retry(queueName: string, jobId: string, from: 'failed' | 'completed'): Promise<ControlOutcome>;
  /** Move a delayed job to wait, only if it is still delayed. */
  promote(queueName: string, jobId: string): Promise<ControlOutcome>;
  /** Remove a job (and its children, when asked), unless a worker holds it. */
  remove(queueName: string, jobId: string, children: boolean): Promise<ControlOutcome>;
  /** What a job is made of, to copy it; `null` when it is gone. */
  templateOf(queueName: string, jobId: string): Promise<JobTemplate | null>;
  /** Add a job; resolves with its id. */
  add(queueName: string, template: JobTemplate): Promise<string>;
  pause(queueName: string): Promise<void>;
  resume(queueName: string): Promise<void>;
  /** Remove the waiting (and, with `delayed`, the delayed) jobs; resolves with how many. */
  drain(queueName: string, delayed: boolean): Promise<number>;
}
