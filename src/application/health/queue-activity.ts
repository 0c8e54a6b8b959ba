/** A point in the activity sequence, taken before a read: what happened after it is news. */
export type ActivityMark = number;

/**
 * Which queues may have changed since a given moment, as told by the job event flow: any entry
 * read from a queue's event stream touches that queue; a lost track of events (a reconnect of the
 * reader, events trimmed away before they were read) touches every queue. Memory is one number
 * per queue; time is not involved, only the order of touches and marks.
 */
export class QueueActivity {
  private sequence = 0;
  private readonly touchedAt = new Map<string, number>();
  private everythingTouchedAt = 0;

  /** Something happened in these queues. */
  touch(queueNames: Iterable<string>): void {
    this.sequence += 1;
    for (const name of queueNames) this.touchedAt.set(name, this.sequence);
  }

  /** Anything may have happened anywhere (events were missed). */
  touchAll(): void {
    this.sequence += 1;
    this.everythingTouchedAt = this.sequence;
  }

  /** The current position; take it before reading, so touches during the read count as news. */
  mark(): ActivityMark {
    // A new position, so touches after this mark are strictly later than it.
    this.sequence += 1;
    return this.sequence;
  }

  /** The queue was touched after `since`. */
  changedSince(queueName: string, since: ActivityMark): boolean {
    return Math.max(this.touchedAt.get(queueName) ?? 0, this.everythingTouchedAt) > since;
  }

  /** Forget queues no longer watched, so memory follows the watched queues. */
  retainOnly(queueNames: ReadonlySet<string>): void {
    for (const name of this.touchedAt.keys())
      if (!queueNames.has(name)) this.touchedAt.delete(name);
  }
}
