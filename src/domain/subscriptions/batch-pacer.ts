/** A share that waits for its group's interval to end. */
interface Waiting<D> {
  readonly dueAt: number;
  readonly share: D[];
}

/**
 * Paces batches per audience group: a group is sent at most one batch every `intervalMs`. A share
 * offered after the group's interval has ended goes out at once; one offered sooner waits, with
 * any later shares of the same group joined behind it in order, until that interval ends. Each
 * group keeps its own pace, so a busy group never delays a quiet one.
 */
export class BatchPacer<G extends object, D> {
  private readonly lastSentAt = new WeakMap<G, number>();
  private readonly waiting = new Map<G, Waiting<D>>();

  constructor(private readonly intervalMs: number) {}

  /** Offer a group its share at `now`: what to send it now, or `null` when the share waits. */
  offer(group: G, share: readonly D[], now: number): readonly D[] | null {
    const waiting = this.waiting.get(group);
    if (waiting) {
      for (const item of share) waiting.share.push(item);
      return null;
    }
    const last = this.lastSentAt.get(group);
    if (last === undefined || now - last >= this.intervalMs) {
      this.lastSentAt.set(group, now);
      return share;
    }
    this.waiting.set(group, { dueAt: last + this.intervalMs, share: [...share] });
    return null;
  }

  /** The groups whose wait has ended by `now`, each with its whole waiting share (taken). */
  due(now: number): [G, readonly D[]][] {
    const ready: [G, readonly D[]][] = [];
    for (const [group, waiting] of this.waiting) {
      if (waiting.dueAt > now) continue;
      this.waiting.delete(group);
      this.lastSentAt.set(group, now);
      ready.push([group, waiting.share]);
    }
    return ready;
  }

  /** When the next waiting share is due; `null` when none waits. */
  nextDueAt(): number | null {
    let next: number | null = null;
    for (const waiting of this.waiting.values()) {
      if (next === null || waiting.dueAt < next) next = waiting.dueAt;
    }
    return next;
  }

  /** What waits for this group (left waiting), e.g. for a member that is about to leave it. */
  waitingFor(group: G): readonly D[] {
    return this.waiting.get(group)?.share ?? [];
  }

  /** Drop what waits for a group that has no members left. */
  forget(group: G): void {
    this.waiting.delete(group);
  }
}
