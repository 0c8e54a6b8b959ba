import { jobKey } from './processing-clock.js';

/**
 * Counts each job's ended attempts (completed, failed, or failed and retried) as its events go
 * by, so a failure is numbered from the events themselves rather than from the job's hash, which
 * later attempts overwrite. A job seen from its `added` event is counted exactly; a job first seen
 * later is unknown until an outside reading (`learn`) says where it stood. Bounded: past
 * `capacity` jobs the least recently touched is forgotten.
 */
export class AttemptCounter {
  private readonly ended = new Map<string, number>();

  constructor(private readonly capacity: number) {}

  /** A new job: no attempt has ended yet. */
  added(queueName: string, jobId: string): void {
    this.set(jobKey(queueName, jobId), 0);
  }

  /** An attempt ended: its number (1 for the first), or `null` when the job is unknown. */
  attemptEnded(queueName: string, jobId: string): number | null {
    const key = jobKey(queueName, jobId);
    const before = this.ended.get(key);
    if (before === undefined) return null;
    this.set(key, before + 1);
    return before + 1;
  }

  /** Whether the job's count is known. */
  knows(queueName: string, jobId: string): boolean {
    return this.ended.has(jobKey(queueName, jobId));
  }

  /** Where an unknown job stood, learnt elsewhere: `attempts` have ended. */
  learn(queueName: string, jobId: string, attempts: number): void {
    this.set(jobKey(queueName, jobId), attempts);
  }

  /** Forget every job of these queues (their events were lost, so their counts may be wrong). */
  forgetQueues(queueNames: readonly string[]): void {
    const prefixes = queueNames.map((name) => `${name}:`);
    for (const key of this.ended.keys()) {
      if (prefixes.some((prefix) => key.startsWith(prefix))) this.ended.delete(key);
    }
  }

  /** Forget every job. */
  forgetAll(): void {
    this.ended.clear();
  }

  get size(): number {
    return this.ended.size;
  }

  private set(key: string, attempts: number): void {
    this.ended.delete(key);
    this.ended.set(key, attempts);
    if (this.ended.size > this.capacity) {
      const oldest = this.ended.keys().next();
      if (!oldest.done) this.ended.delete(oldest.value);
    }
  }
}
