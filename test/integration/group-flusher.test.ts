import { expect } from 'chai';
import { Redis } from 'ioredis';
import { GroupFlusher } from '../../src/application/alerting/group-flusher.js';
import type { AlertGroups, GroupFlush } from '../../src/application/ports/alert-groups.port.js';
import type { AlertLog, AlertRecord } from '../../src/application/ports/alert-log.port.js';
import type { AlertNotification } from '../../src/application/ports/alert-outbox.port.js';
import { RedisAlertGroups } from '../../src/adapters/redis/redis-alert-groups.js';
import type { MemberAlert } from '../../src/domain/alerting/alert.js';
import type { AlertRoute } from '../../src/domain/alerting/alert-route.js';
import type { Silence } from '../../src/domain/alerting/silence.js';
import { FixedClock } from '../support/fixed-clock.js';
import { RecordingLogger } from '../support/recording-logger.js';
import { useRedisServer } from '../support/redis-harness.js';

const route: AlertRoute = {
  id: 'root',
  matchers: [],
  minSeverity: null,
  continue: false,
  destinations: ['pager'],
  routes: [],
  groupBy: ['rule'],
  groupWaitMs: 1_000,
  groupIntervalMs: 60_000,
  repeatIntervalMs: 3_600_000,
};

function alertOf(queue: string, status: 'firing' | 'resolved'): MemberAlert {
  return {
    id: `backlog/${queue}/1`,
    status,
    severity: 'high',
    title: `Backlog on ${queue}`,
    message: 'm',
    rule: 'backlog',
    labels: { rule: 'backlog', severity: 'high', queue },
    values: {},
    link: null,
    context: { queueName: queue },
    startsAt: new Date(0).toISOString(),
  };
}

/** Every notification queued, by delivery id: queuing the same one again keeps one. */
class RecordingOutbox {
  readonly queued = new Map<string, AlertNotification>();
  enqueue(notifications: readonly AlertNotification[]): Promise<void> {
    for (const notification of notifications) {
      if (!this.queued.has(notification.deliveryId)) {
        this.queued.set(notification.deliveryId, notification);
      }
    }
    return Promise.resolve();
  }
  listed(): string[][] {
    return [...this.queued.values()].map((notification) =>
      (notification.alert.alerts ?? []).map(
        (member) => `${member.context.queueName}:${member.status}`,
      ),
    );
  }
}

class NullLog implements AlertLog {
  readonly held: string[] = [];
  add(): Promise<void> {
    return Promise.resolve();
  }
  addSuppressed(key: string): Promise<void> {
    this.held.push(key);
    return Promise.resolve();
  }
  update(): Promise<void> {
    return Promise.resolve();
  }
  recent(): Promise<AlertRecord[]> {
    return Promise.resolve([]);
  }
}

describe('GroupFlusher (real Redis groups)', () => {
  const redis = useRedisServer();
  let connection: Redis;
  let groups: RedisAlertGroups;
  let outbox: RecordingOutbox;
  let scheduled: GroupFlush[];
  let silences: Silence[];
  let clock: FixedClock;
  let log: NullLog;

  beforeEach(async () => {
    connection = new Redis(redis().url);
    await connection.flushall();
    groups = new RedisAlertGroups(connection);
    outbox = new RecordingOutbox();
    scheduled = [];
    silences = [];
    clock = new FixedClock(10_000);
    log = new NullLog();
  });
  afterEach(() => {
    connection.disconnect();
  });

  function flusher(parts: { groups?: AlertGroups } = {}): GroupFlusher {
    return new GroupFlusher(
      {
        groups: parts.groups ?? groups,
        flushes: {
          schedule: (flush) => {
            scheduled.push(flush);
            return Promise.resolve();
          },
        },
        firing: { all: () => Promise.resolve([]) },
        silences: { active: () => Promise.resolve(silences) },
        log,
        outbox,
        metrics: { alertNotified: () => undefined },
        clock,
        logger: new RecordingLogger(),
      },
      route,
      [],
    );
  }

  const add = (queue: string, status: 'firing' | 'resolved') =>
    groups.add(
      { groupKey: 'root{rule=backlog}', proposedId: 'root/backlog/1', routeId: 'root', labels: {} },
      { incidentKey: `backlog/${queue}`, alert: alertOf(queue, status) },
      clock.now(),
      route,
    );

  it('should schedule the group’s own next flush again when a flush already taken in runs again', async () => {
    const first = await add('orders', 'firing');
    clock.setTo(12_000);
    await flusher().flush(first);
    const [next] = scheduled;
    expect(next).to.deep.include({ seq: 1, dueAt: 72_000 });
    scheduled.length = 0;
    // The first flush again (its job retried after the run that took it in lost its schedule).
    await flusher().flush(first);
    expect(scheduled).to.deep.equal([next]);
    expect(outbox.listed()).to.deep.equal([['orders:firing']]);
  });

  it('should carry out a flush cut short after it queued its notification the same way when it runs again', async () => {
    const first = await add('orders', 'firing');
    clock.setTo(12_000);
    let refusals = 1;
    const refusing: AlertGroups = {
      add: (...args) => groups.add(...args),
      read: (key) => groups.read(key),
      plan: (...args) => groups.plan(...args),
      commit: (...args) => {
        if (refusals-- > 0) return Promise.reject(new Error('Redis refused the commit'));
        return groups.commit(...args);
      },
    };
    let cut: unknown;
    await flusher({ groups: refusing })
      .flush(first)
      .catch((error: unknown) => {
        cut = error;
      });
    expect(String(cut)).to.contain('refused');
    // Between the two runs another alert joins the group.
    await add('emails', 'firing');
    await flusher({ groups: refusing }).flush(first);
    expect(outbox.listed(), 'one notification, as first decided').to.deep.equal([
      ['orders:firing'],
    ]);
    const group = await groups.read('root{rule=backlog}');
    expect(group).to.deep.include({ seq: 1, announced: ['backlog/orders'] });
    // The alert that joined is news at the next flush: it was never sent.
    clock.setTo(72_000);
    await flusher().flush(scheduled.at(-1)!);
    expect(outbox.listed()).to.deep.equal([['orders:firing'], ['emails:firing', 'orders:firing']]);
  });

  it('should tell the end of an announced alert even while a silence matches it, and not the end of one only ever held back', async () => {
    const first = await add('orders', 'firing');
    clock.setTo(12_000);
    await flusher().flush(first);
    silences = [
      {
        id: 'quiet',
        matchers: [{ label: 'rule', op: '=', value: 'backlog' }],
        startsAt: 0,
        endsAt: 10_000_000,
        comment: 'c',
        createdBy: 't',
        createdAt: 0,
      },
    ];
    await add('emails', 'firing');
    clock.setTo(72_000);
    await flusher().flush(scheduled.at(-1)!);
    // Both are held back now and recorded so; only orders was ever announced.
    expect(log.held).to.deep.equal([
      'backlog/emails/1/firing/held',
      'backlog/orders/1/firing/held',
    ]);
    await add('orders', 'resolved');
    await add('emails', 'resolved');
    clock.setTo(132_000);
    await flusher().flush(scheduled.at(-1)!);
    expect(outbox.listed()).to.deep.equal([['orders:firing'], ['orders:resolved']]);
    expect(await groups.read('root{rule=backlog}'), 'the group ended').to.equal(null);
  });
});
