/** One event on its way to clients. */
export interface Delivery<Name extends string = string, Payload = unknown> {
  readonly name: Name;
  readonly payload: Payload;
  readonly rooms: readonly string[];
  /** The job it is about (queue + id), for ordering and coalescing. */
  readonly jobKey: string;
  /** May be replaced by a later delivery of the same name for the same job (progress). */
  readonly coalesce: boolean;
}

/**
 * Deliveries waiting to be sent, in order. A coalescible delivery (progress) replaces the waiting
 * one of the same name for the same job in place, so under pressure the latest value wins and
 * stale intermediate ones are never sent; any other delivery (completion, failure) is always
 * kept, and a progress that follows it for the same job queues behind it rather than jumping
 * ahead. Memory is bounded by the coalescible deliveries: one per job and name.
 */
export class CoalescingOutbox<D extends Delivery = Delivery> {
  private items: D[] = [];
  /** Per job, the index of its waiting coalescible delivery of each name. */
  private readonly slots = new Map<string, Map<string, number>>();

  push(delivery: D): void {
    if (!delivery.coalesce) {
      this.slots.delete(delivery.jobKey);
      this.items.push(delivery);
      return;
    }
    let byName = this.slots.get(delivery.jobKey);
    const slot = byName?.get(delivery.name);
    if (slot !== undefined) {
      this.items[slot] = delivery;
      return;
    }
    if (!byName) {
      byName = new Map();
      this.slots.set(delivery.jobKey, byName);
    }
    byName.set(delivery.name, this.items.length);
    this.items.push(delivery);
  }

  /** Everything waiting, oldest first; the outbox is empty afterwards. */
  drain(): D[] {
    const drained = this.items;
    this.items = [];
    this.slots.clear();
    return drained;
  }

  get size(): number {
    return this.items.length;
  }
}
