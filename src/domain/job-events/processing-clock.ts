/**
 * Remembers when each job became active, so a completion can say how long processing took
 * without asking Redis. Bounded: past `capacity` jobs the oldest entry is forgotten (that job's
 * processing time is then looked up elsewhere or reported unknown).
 */
export class ProcessingClock {
  private readonly startedAt = new Map<string, number>();

  constructor(private readonly capacity: number) {}

  /** Note that the job started processing at `at` (ms). */
  started(queueName: string, jobId: string, at: number): void {
    const key = jobKey(queueName, jobId);
    this.startedAt.delete(key);
    this.startedAt.set(key, at);
    if (this.startedAt.size > this.capacity) {
      const oldest = this.startedAt.keys().next();
      if (!oldest.done) this.startedAt.delete(oldest.value);
    }
  }

  /** Was this job seen starting (and not yet finished)? */
  isRunning(queueName: string, jobId: string): boolean {
    return this.startedAt.has(jobKey(queueName, jobId));
  }

  /** Processing time up to `at` and forget the job; `null` when its start was not seen. */
  finished(queueName: string, jobId: string, at: number): number | null {
    const key = jobKey(queueName, jobId);
    const started = this.startedAt.get(key);
    this.startedAt.delete(key);
    return started === undefined ? null : Math.max(0, at - started);
  }

  get size(): number {
    return this.startedAt.size;
  }
}

/** One key per job across queues. Queue names have no colon, so this is unambiguous. */
export function jobKey(queueName: string, jobId: string): string {
  return `${queueName}:${jobId}`;
}
