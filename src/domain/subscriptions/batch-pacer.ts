/**
 * Paces batches per audience group: a group is sent at most one batch every `intervalMs`. A share
 * offered after the group's interval has ended goes out at once; one offered sooner waits, with
 * any later shares of the same group joined behind it in order, until that interval ends. Each
 * group keeps its own pace, so a busy group never delays a quiet one.
 *
 * Waiting groups are filed by the millisecond their wait ends: every wait ends within one
 * interval, so there are never more than `intervalMs + 1` such lists, and finding the next one,
 * or the groups due, costs that many steps at most, however many groups wait.
 */
export class BatchPacer<G extends object, D> {
  private readonly lastSentAt = new WeakMap<G, number>();
  /** Each waiting group's share, in order, and the millisecond its wait ends. */
  private readonly waiting = new Map<G, { readonly dueAt: number; readonly share: D[] }>();
  /** The waiting groups, by the millisecond (rounded up) their wait ends. */
  private readonly dueLists = new Map<number, G[]>();

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
    const dueAt = Math.ceil(last + this.intervalMs);
    this.waiting.set(group, { dueAt, share: [...share] });
    const list = this.dueLists.get(dueAt);
    if (list) list.push(group);
    else this.dueLists.set(dueAt, [group]);
    return null;
  }

  /** The groups whose wait has ended by `now`, each with its whole waiting share (taken). */
  due(now: number): [G, readonly D[]][] {
    const ready: [G, readonly D[]][] = [];
    for (const dueAt of [...this.dueLists.keys()].sort((a, b) => a - b)) {
      if (dueAt > now) break;
      for (const group of this.dueLists.get(dueAt) ?? []) {
        const waiting = this.waiting.get(group);
        if (!waiting) continue;
        this.waiting.delete(group);
        this.lastSentAt.set(group, now);
        ready.push([group, waiting.share]);
      }
      this.dueLists.delete(dueAt);
    }
    return ready;
  }

  /** When the next waiting share is due (a whole millisecond); `null` when none waits. */
  nextDueAt(): number | null {
    let next: number | null = null;
    for (const dueAt of this.dueLists.keys()) if (next === null || dueAt < next) next = dueAt;
    return next;
  }

  /** What waits for this group (left waiting), e.g. for a member that is about to leave it. */
  waitingFor(group: G): readonly D[] {
    return this.waiting.get(group)?.share ?? [];
  }

  /** Drop what waits for a group that has no members left. */
  forget(group: G): void {
    const waiting = this.waiting.get(group);
    if (!waiting) return;
    this.waiting.delete(group);
    const list = this.dueLists.get(waiting.dueAt) ?? [];
    list.splice(list.indexOf(group), 1);
    if (list.length === 0) this.dueLists.delete(waiting.dueAt);
  }
}
