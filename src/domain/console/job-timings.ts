/** The times BullMQ keeps on a job (ms since the epoch), `null` when not there. */
export interface JobTimes {
  readonly createdAt: number | null;
  /** The job's delay (ms) when it was added or last delayed; 0 without one. */
  readonly delay: number;
  readonly processedOn: number | null;
  readonly finishedOn: number | null;
}

/**
 * How long a job waited before a worker took it: from creation, or from the end of its delay,
 * to the start of processing (of its latest attempt). `null` until it starts.
 */
export function waitTimeOf(times: JobTimes): number | null {
  if (times.createdAt === null || times.processedOn === null) return null;
  return Math.max(0, times.processedOn - (times.createdAt + times.delay));
}

/** From the start of processing to the end (of its latest attempt); `null` until it ends. */
export function processingTimeOf(times: JobTimes): number | null {
  if (times.processedOn === null || times.finishedOn === null) return null;
  return Math.max(0, times.finishedOn - times.processedOn);
}
