import { expect } from 'chai';
import { Redis } from 'ioredis';
import { RedisAlertGroups } from '../../src/adapters/redis/redis-alert-groups.js';
import type { MemberAlert } from '../../src/domain/alerting/alert.js';
import { useRedisServer } from '../support/redis-harness.js';

const timing = { groupWaitMs: 5_000, groupIntervalMs: 60_000 };
const groupKey = 'pager{rule=backlog}';

function alert(queue: string, status: 'firing' | 'resolved'): MemberAlert {
  return {
    id: `backlog/${queue}/1000`,
    status,
    severity: 'high',
    title: `Backlog above 3 on ${queue}`,
    message: `${queue} has 5 jobs waiting`,
    rule: 'backlog',
    labels: { rule: 'backlog', severity: 'high', queue },
    values: { waiting: status === 'firing' ? 5 : 0 },
    link: `/queues/${queue}`,
    context: { queueName: queue },
    startsAt: new Date(1_000).toISOString(),
  };
}

describe('RedisAlertGroups (real Redis)', () => {
  const redis = useRedisServer();
  let connection: Redis;
  let groups: RedisAlertGroups;

  beforeEach(async () => {
    connection = new Redis(redis().url);
    await connection.flushall();
    groups = new RedisAlertGroups(connection);
  });
  afterEach(() => {
    connection.disconnect();
  });

  /** Put `queue`'s backlog alert in the group at `now`, proposing `proposedId`. */
  const add = (
    queue: string,
    status: 'firing' | 'resolved',
    now: number,
    proposedId = `g@${String(now)}`,
  ) =>
    groups.add(
      { groupKey, proposedId, routeId: 'pager', labels: { rule: 'backlog' } },
      { incidentKey: `backlog/${queue}`, alert: alert(queue, status) },
      now,
      timing,
    );

  describe('.add', () => {
    it('should create the group under the proposed id, due after the group wait', async () => {
      const flush = await add('orders', 'firing', 10_000, 'pager/backlog/10000');
      expect(flush).to.deep.equal({
        groupKey,
        groupId: 'pager/backlog/10000',
        seq: 0,
        dueAt: 15_000,
      });
      const stored = await groups.read(groupKey);
      expect(stored).to.deep.include({
        groupKey,
        id: 'pager/backlog/10000',
        routeId: 'pager',
        labels: { rule: 'backlog' },
        createdAt: 10_000,
        seq: 0,
        lastSentAt: null,
        lastFingerprint: null,
        announced: [],
      });
      expect(stored?.members.map((member) => [member.incidentKey, member.alert])).to.deep.equal([
        ['backlog/orders', alert('orders', 'firing')],
      ]);
      expect(JSON.parse(stored?.members[0]?.raw ?? 'null')).to.deep.equal(
        alert('orders', 'firing'),
      );
    });

    it('should fix the flush once for concurrent adds: one id, one due time, every member', async () => {
      // Several connections, as several instances would add: Redis interleaves them.
      const connections = Array.from({ length: 4 }, () => new Redis(redis().url));
      const stores = connections.map((each) => new RedisAlertGroups(each));
      const queues = Array.from({ length: 40 }, (_, index) => `q${String(index)}`);
      const flushes = await Promise.all(
        queues.map((queue, index) =>
          stores[index % stores.length]!.add(
            { groupKey, proposedId: `id-${queue}`, routeId: 'pager', labels: { rule: 'backlog' } },
            { incidentKey: `backlog/${queue}`, alert: alert(queue, 'firing') },
            10_000 + index * 100,
            timing,
          ),
        ),
      ).finally(() => {
        for (const each of connections) each.disconnect();
      });
      const ids = new Set(flushes.map((flush) => flush.groupId));
      expect(ids.size, 'one group id').to.equal(1);
      const [winner] = [...ids];
      const first = queues.indexOf(String(winner).replace('id-', ''));
      expect(first).to.be.at.least(0);
      // The add that created the group fixed the due time; none of the later ones moved it.
      expect(new Set(flushes.map((flush) => flush.dueAt))).to.deep.equal(
        new Set([10_000 + first * 100 + timing.groupWaitMs]),
      );
      expect(new Set(flushes.map((flush) => flush.seq))).to.deep.equal(new Set([0]));
      const stored = await groups.read(groupKey);
      expect(stored?.createdAt).to.equal(10_000 + first * 100);
      expect(stored?.members.map((member) => member.incidentKey)).to.have.members(
        queues.map((queue) => `backlog/${queue}`),
      );
    });

    it('should not move a fixed flush however late an alert joins', async () => {
      await add('orders', 'firing', 10_000);
      const late = await add('emails', 'firing', 90_000);
      expect(late).to.deep.include({ groupId: 'g@10000', seq: 0, dueAt: 15_000 });
    });
  });

  /** The group every test here builds (its first add is at 10 s). */
  const group = { groupKey, id: 'g@10000' };

  describe('.plan', () => {
    it('should fix a flush’s plan once: a run again gets the first one, another number none', async () => {
      await add('orders', 'firing', 10_000);
      expect(await groups.plan(groupKey, group.id, 0, { send: 'first' })).to.deep.equal({
        send: 'first',
      });
      expect(await groups.plan(groupKey, group.id, 0, { send: 'second' })).to.deep.equal({
        send: 'first',
      });
      expect(await groups.plan(groupKey, group.id, 1, { send: 'later' })).to.equal(null);
      expect(await groups.plan(groupKey, 'g@1', 0, { send: 'other' })).to.equal(null);
    });
  });

  describe('.commit', () => {
    it('should keep an empty announced list a list, where the cjson of Redis would write an object', async () => {
      await add('orders', 'firing', 10_000);
      const read = await groups.read(groupKey);
      await add('emails', 'firing', 11_000);
      await groups.commit(
        group,
        0,
        { sentFingerprint: 'x', announced: [], held: [], drop: read?.members ?? [] },
        15_000,
        timing.groupIntervalMs,
      );
      expect(await groups.read(groupKey)).to.deep.include({ announced: [], held: [] });
    });

    it('should take a flush in once: a commit for a stale or unknown number changes nothing', async () => {
      await add('orders', 'firing', 10_000);
      await add('emails', 'resolved', 10_000);
      const read = await groups.read(groupKey);
      const outcome = {
        sentFingerprint: 'backlog/orders=firing',
        announced: ['backlog/orders'],
        held: [],
        drop: read?.members.filter((member) => member.alert.status === 'resolved') ?? [],
      };
      expect(await groups.commit(group, 7, outcome, 15_000, timing.groupIntervalMs)).to.equal(null);
      expect(
        await groups.commit({ groupKey, id: 'g@9999' }, 0, outcome, 15_000, timing.groupIntervalMs),
        'a commit for another group of the same key',
      ).to.equal(null);
      expect(await groups.read(groupKey), 'untouched by a commit for another number').to.deep.equal(
        read,
      );

      const next = await groups.commit(group, 0, outcome, 15_000, timing.groupIntervalMs);
      expect(next).to.deep.equal({ groupKey, groupId: 'g@10000', seq: 1, dueAt: 75_000 });
      const after = await groups.read(groupKey);
      expect(after).to.deep.include({
        seq: 1,
        lastSentAt: 15_000,
        lastFingerprint: 'backlog/orders=firing',
        announced: ['backlog/orders'],
      });
      expect(after?.members.map((member) => member.incidentKey)).to.deep.equal(['backlog/orders']);

      // The same flush run again (a retry after a crash) is a no-op.
      await add('emails', 'firing', 16_000);
      const again = await groups.commit(
        group,
        0,
        { sentFingerprint: 'x', announced: [], held: [], drop: after?.members ?? [] },
        17_000,
        timing.groupIntervalMs,
      );
      expect(again).to.equal(null);
      const untouched = await groups.read(groupKey);
      expect(untouched).to.deep.include({
        seq: 1,
        lastSentAt: 15_000,
        announced: ['backlog/orders'],
      });
      expect(untouched?.members.map((member) => member.incidentKey)).to.deep.equal([
        'backlog/emails',
        'backlog/orders',
      ]);
    });

    it('should keep a member rewritten after the read, dropping only what was read', async () => {
      await add('orders', 'firing', 10_000);
      await add('emails', 'resolved', 10_000);
      const read = await groups.read(groupKey);
      // Between the flush's read and its commit, orders resolves: a newer write of the member.
      await add('orders', 'resolved', 14_000);
      const next = await groups.commit(
        group,
        0,
        { sentFingerprint: null, announced: [], held: [], drop: read?.members ?? [] },
        15_000,
        timing.groupIntervalMs,
      );
      expect(next).to.deep.equal({ groupKey, groupId: 'g@10000', seq: 1, dueAt: 75_000 });
      const after = await groups.read(groupKey);
      expect(
        after?.members.map((member) => [member.incidentKey, member.alert.status]),
      ).to.deep.equal([['backlog/orders', 'resolved']]);
      expect(after).to.deep.include({ lastSentAt: null, lastFingerprint: null, announced: [] });
    });

    it('should delete an emptied group, so the next alert starts a new one with a new id', async () => {
      await add('orders', 'firing', 10_000);
      const read = await groups.read(groupKey);
      const done = await groups.commit(
        group,
        0,
        {
          sentFingerprint: 'backlog/orders=resolved',
          announced: [],
          held: [],
          drop: read?.members ?? [],
        },
        15_000,
        timing.groupIntervalMs,
      );
      expect(done).to.equal(null);
      expect(await groups.read(groupKey)).to.equal(null);
      expect(await connection.keys('queuewatch:alerts:group:*')).to.deep.equal([]);

      const fresh = await add('orders', 'firing', 20_000, 'pager/backlog/20000');
      expect(fresh).to.deep.equal({
        groupKey,
        groupId: 'pager/backlog/20000',
        seq: 0,
        dueAt: 25_000,
      });
      expect(await groups.read(groupKey)).to.deep.include({
        id: 'pager/backlog/20000',
        createdAt: 20_000,
        lastSentAt: null,
        announced: [],
      });
    });
  });
});
