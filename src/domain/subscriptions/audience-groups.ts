import type { Delivery } from './coalescing-outbox.js';

/** The clients subscribed to exactly the same rooms: every delivery reaches all or none of them. */
export interface AudienceGroup {
  /** A short name of its own (`batch:<n>`), for a room holding its members. */
  readonly name: string;
  /** The subscription rooms its members hold. */
  readonly rooms: ReadonlySet<string>;
}

interface Group extends AudienceGroup {
  readonly key: string;
  members: number;
  /** The index of the last delivery added to its batch, so a delivery is added once. */
  lastDelivery: number;
  batch: Delivery[] | null;
}

/**
 * Clients grouped by their exact set of subscription rooms, so that a tick's deliveries can be
 * assembled once per group rather than once per client. A group exists while it has members.
 */
export class AudienceGroups {
  private readonly byKey = new Map<string, Group>();
  /** Per subscription room, the groups that hold it. */
  private readonly byRoom = new Map<string, Set<Group>>();
  private created = 0;

  /** Count one more member of the group of these rooms (created on first use); none for no room. */
  join(rooms: Iterable<string>): AudienceGroup | null {
    const sorted = [...new Set(rooms)].sort();
    if (sorted.length === 0) return null;
    const key = JSON.stringify(sorted);
    let group = this.byKey.get(key);
    if (!group) {
      this.created += 1;
      group = {
        name: `batch:${String(this.created)}`,
        key,
        rooms: new Set(sorted),
        members: 0,
        lastDelivery: -1,
        batch: null,
      };
      this.byKey.set(key, group);
      for (const room of sorted) {
        let groups = this.byRoom.get(room);
        if (!groups) {
          groups = new Set();
          this.byRoom.set(room, groups);
        }
        groups.add(group);
      }
    }
    group.members += 1;
    return group;
  }

  /** Count one member less; the group is forgotten with its last member (then `true`). */
  leave(audience: AudienceGroup): boolean {
    const group = this.byKey.get((audience as Group).key);
    if (group !== audience) return false;
    group.members -= 1;
    if (group.members > 0) return false;
    this.byKey.delete(group.key);
    for (const room of group.rooms) {
      const groups = this.byRoom.get(room);
      groups?.delete(group);
      if (groups?.size === 0) this.byRoom.delete(room);
    }
    return true;
  }

  /**
   * Each group's share of these deliveries, in their order: a delivery belongs to a group when
   * any of its rooms is one of the group's, and appears once however many of them match. Groups
   * that get nothing are left out.
   */
  batches<D extends Delivery>(deliveries: readonly D[]): Map<AudienceGroup, D[]> {
    const reached: Group[] = [];
    deliveries.forEach((delivery, index) => {
      for (const room of delivery.rooms) {
        const groups = this.byRoom.get(room);
        if (!groups) continue;
        for (const group of groups) {
          if (group.lastDelivery === index) continue;
          group.lastDelivery = index;
          if (group.batch === null) {
            group.batch = [];
            reached.push(group);
          }
          group.batch.push(delivery);
        }
      }
    });
    const batches = new Map<AudienceGroup, D[]>();
    for (const group of reached) {
      batches.set(group, group.batch as D[]);
      group.batch = null;
      group.lastDelivery = -1;
    }
    return batches;
  }

  /** Groups with members now. */
  get size(): number {
    return this.byKey.size;
  }
}
