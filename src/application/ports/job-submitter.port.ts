/** Adds jobs to a queue (the dashboard's Lab). */
export interface JobSubmitter {
  /** Add a job; resolves with its id. */
  submit(queueName: string, name: string, data: unknown): Promise<string>;
}
