/**
 * Each queue's latest processing times (ms), kept from its completion events once they have been
 * read from Redis: a queue's recent processing times change only when one of its jobs completes,
 * and every completion is a job event Queuewatch reads anyway. So the health check reads them
 * from Redis once per queue (its first read) and after that not at all. Until that first read
 * its completions are not kept: the read includes them.
 */
export class ProcessingTimes {
  private readonly byQueue = new Map<string, number[]>();

  /** `size`: how many of the latest processing times are kept per queue. */
  constructor(private readonly size: number) {}

  /** A job of this queue completed after `ms` of processing. */
  record(queueName: string, ms: number): void {
    const kept = this.byQueue.get(queueName);
    if (!kept) return;
    kept.push(ms);
    if (kept.length > this.size) kept.shift();
  }

  /** The times read from Redis; completions recorded from now on are added to them. */
  seed(queueName: string, times: readonly number[]): void {
    this.byQueue.set(queueName, times.slice(0, this.size));
  }

  /** The kept times, or `undefined` when the queue has not been seeded. */
  known(queueName: string): readonly number[] | undefined {
    return this.byQueue.get(queueName);
  }

  /** Completions may have been missed (the reader lost Redis, events were trimmed): read again. */
  forgetAll(): void {
    this.byQueue.clear();
  }

  /** Forget queues no longer watched. */
  retainOnly(queueNames: ReadonlySet<string>): void {
    for (const name of this.byQueue.keys()) if (!queueNames.has(name)) this.byQueue.delete(name);
  }
}
