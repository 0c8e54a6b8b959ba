import { expect } from 'chai';
import fc from 'fast-check';
import {
  AudienceGroups,
  type AudienceGroup,
  type Delivery,
} from '../../../src/domain/subscriptions/index.js';
import { expectSame } from '../support/expect-same.js';

type Step =
  | { readonly op: 'join'; readonly rooms: readonly string[] }
  | { readonly op: 'leave'; readonly handle: number }
  | { readonly op: 'batches'; readonly deliveries: readonly Delivery<string, number>[] };

const rooms = fc.constantFrom(
  'all',
  'queue:alpha',
  'queue:beta',
  'job:alpha:1',
  'job:*:1',
  'job:beta:x:1',
);
/** Deliveries may also go to rooms no client holds. */
const deliveryRooms = fc.oneof(rooms, fc.constantFrom('queue:gamma', 'job:gamma:2'));

const steps: fc.Arbitrary<Step> = fc.oneof(
  {
    arbitrary: fc.record({
      op: fc.constant('join' as const),
      rooms: fc.array(rooms, { maxLength: 5 }),
    }),
    weight: 4,
  },
  { arbitrary: fc.record({ op: fc.constant('leave' as const), handle: fc.nat() }), weight: 3 },
  {
    arbitrary: fc.record({
      op: fc.constant('batches' as const),
      deliveries: fc
        .array(fc.array(deliveryRooms, { maxLength: 4 }), { maxLength: 8 })
        .map((roomLists) =>
          roomLists.map((list, index) => ({
            name: 'job-progress',
            payload: index,
            rooms: list,
            jobKey: 'a:1',
            coalesce: true,
          })),
        ),
    }),
    weight: 2,
  },
);

const plans = fc.array(steps, { maxLength: 60, size: 'medium' });

/** The reference: live groups with their member counts, and a delivery's audience by filtering. */
class GroupList {
  readonly members = new Map<AudienceGroup, number>();

  find(roomList: readonly string[]): AudienceGroup | undefined {
    const wanted = new Set(roomList);
    return [...this.members.keys()].find(
      (group) =>
        group.rooms.size === wanted.size && [...wanted].every((room) => group.rooms.has(room)),
    );
  }

  batches<D extends Delivery>(deliveries: readonly D[]): Map<AudienceGroup, D[]> {
    const batches = new Map<AudienceGroup, D[]>();
    for (const group of this.members.keys()) {
      const share = deliveries.filter((delivery) =>
        delivery.rooms.some((room) => group.rooms.has(room)),
      );
      if (share.length > 0) batches.set(group, share);
    }
    return batches;
  }
}

/** Each group's batch as its name and the payloads, by name. */
function shares(batches: Map<AudienceGroup, readonly Delivery<string, number>[]>) {
  return [...batches]
    .map(([group, batch]) => ({
      group: group.name,
      payloads: batch.map((delivery) => delivery.payload),
    }))
    .sort((a, b) => a.group.localeCompare(b.group));
}

/** Play a plan; `check` runs after every step. */
function play(
  plan: readonly Step[],
  check: (groups: AudienceGroups, model: GroupList, step: Step) => void,
): void {
  const groups = new AudienceGroups();
  const model = new GroupList();
  const handles: AudienceGroup[] = [];
  const names = new Set<string>();
  for (const step of plan) {
    if (step.op === 'join') {
      const existing = model.find(step.rooms);
      const group = groups.join(step.rooms);
      const expected =
        step.rooms.length === 0
          ? null
          : { group: existing?.name ?? 'a fresh group', rooms: [...new Set(step.rooms)].sort() };
      const actual =
        group === null
          ? null
          : {
              group:
                group === existing
                  ? group.name
                  : names.has(group.name)
                    ? `${group.name} again`
                    : 'a fresh group',
              rooms: [...group.rooms].sort(),
            };
      expectSame(actual, expected, JSON.stringify(step));
      if (group) {
        names.add(group.name);
        handles.push(group);
        model.members.set(group, (model.members.get(group) ?? 0) + 1);
      }
    } else if (step.op === 'leave' && handles.length > 0) {
      // Any handle ever given out, also one whose group is gone (leaving it again is a no-op).
      const group = handles[step.handle % handles.length]!;
      groups.leave(group);
      const count = model.members.get(group);
      if (count === 1) model.members.delete(group);
      else if (count !== undefined) model.members.set(group, count - 1);
    }
    check(groups, model, step);
  }
}

describe('AudienceGroups', () => {
  describe('.join and .leave', () => {
    describe('having any sequence of joins and leaves, stale handles included', () => {
      it('should keep one group per distinct set of rooms while it has members, each newly named', () => {
        fc.assert(
          fc.property(plans, (plan) => {
            play(plan, (groups, model) => {
              if (groups.size !== model.members.size) {
                expect(groups.size).to.equal(model.members.size);
              }
            });
          }),
          { numRuns: 1_000 },
        );
      });
    });
  });

  describe('.batches', () => {
    describe('having any groups and any deliveries', () => {
      it('should give each group, in order and once each, the deliveries to any of its rooms', () => {
        fc.assert(
          fc.property(plans, (plan) => {
            play(plan, (groups, model, step) => {
              if (step.op !== 'batches') return;
              const expected = model.batches(step.deliveries);
              // Twice, so a batch left over from the first call would show in the second.
              for (let round = 0; round < 2; round += 1) {
                expectSame(
                  shares(groups.batches(step.deliveries)),
                  shares(expected),
                  `round ${String(round + 1)}`,
                );
              }
            });
          }),
          { numRuns: 1_000 },
        );
      });
    });
  });
});
