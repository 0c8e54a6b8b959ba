import { expect } from 'chai';
import { Queue, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { groupFlushJobName } from '../../src/adapters/bullmq/alert-jobs.js';
import type { GroupFlush } from '../../src/application/ports/alert-groups.port.js';
import { loadConfig } from '../../src/bootstrap/config/load-config.js';
import { startQueuewatch } from '../../src/bootstrap/queuewatch.js';
import { alertJobsQueue } from '../support/alert-queues.js';
import { RecordingLogger } from '../support/recording-logger.js';
import { useRedisServer } from '../support/redis-harness.js';
import { waitFor } from '../support/wait-for.js';

/** The names of the connections Redis lists, the test's own (`admin`) left out. */
async function connectionNames(admin: Redis): Promise<string[]> {
  const list = (await admin.client('LIST')) as string;
  return list
    .trim()
    .split('\n')
    .map((line) => /\bname=(\S*)/.exec(line)?.[1] ?? '')
    .filter((name) => name !== 'admin')
    .sort();
}

describe('the alert work queue (real Redis, real BullMQ)', () => {
  const redis = useRedisServer();
  const closers: (() => unknown)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  async function start(queues: string) {
    const logger = new RecordingLogger();
    const app = await startQueuewatch(
      await loadConfig({ REDIS_URL: redis().url, PORT: '0', QUEUEWATCH_QUEUES: queues }),
      { logger },
    );
    closers.push(() => app.stop());
    return { app, logger };
  }

  function admin(): Redis {
    const connection = new Redis(redis().url, { connectionName: 'admin' });
    closers.push(() => {
      connection.disconnect();
    });
    return connection;
  }

  it('should hold four Redis connections in all, whatever the number of queues: commands, events, pub/sub and the alert worker', async function () {
    this.timeout(30_000);
    const queues = Array.from({ length: 50 }, (_, index) => `q${String(index)}`);
    const { app } = await start(queues.join(','));
    const health = await fetch(`${app.url}/api/v1/health/queues`);
    expect(health.status).to.equal(200);
    const names = await waitFor(
      'the alert worker to wait for jobs',
      () => connectionNames(admin()),
      (all) => all.includes('queuewatch:alert-worker'),
    );
    expect(names).to.deep.equal([
      'queuewatch',
      'queuewatch:alert-worker',
      'queuewatch:events',
      'queuewatch:pubsub',
    ]);
  });

  it('should move the group flushes an earlier version left waiting in its own queue, each due when it was', async function () {
    this.timeout(30_000);
    const former = new Queue<GroupFlush>('queuewatch-alert-groups', {
      connection: { url: redis().url },
    });
    closers.push(() => former.close());
    const dueAt = Date.now() + 3_600_000;
    const flushes = ['a', 'b', 'c'].map((group, seq): GroupFlush => ({
      groupKey: `root{rule="${group}"}`,
      groupId: group,
      seq,
      dueAt,
    }));
    await former.addBulk(
      flushes.map((flush) => ({
        name: 'flush',
        data: flush,
        opts: { jobId: `g-${flush.groupId}-${String(flush.seq)}`, delay: dueAt - Date.now() },
      })),
    );

    const { logger } = await start('payments');
    const jobs = alertJobsQueue(redis().url);
    closers.push(() => jobs.close());
    const moved = await waitFor(
      'the three flushes to be moved',
      async () =>
        (await jobs.getJobs(['delayed'])).filter(
          (job): job is Job<GroupFlush> => job.name === groupFlushJobName,
        ),
      (found) => found.length === 3,
    );
    expect(moved.map((job) => job.id).sort()).to.deep.equal(['g-a-0', 'g-b-1', 'g-c-2']);
    expect(moved.map((job) => job.data).sort((x, y) => x.seq - y.seq)).to.deep.equal(flushes);
    for (const job of moved) {
      expect(Math.abs(job.timestamp + job.delay - dueAt)).to.be.lessThan(1_000);
    }
    expect(await former.getJobCountByTypes('delayed', 'waiting')).to.equal(0);
    const note = logger.lines.find((line) =>
      line.message.includes('moved to the alert work queue'),
    );
    expect(note?.context).to.deep.include({ moved: 3 });
  });

  it('should log Redis going away once per connection and once for the alert worker, not at each of its tries', async function () {
    this.timeout(40_000);
    const { logger } = await start('payments');
    const lines = (level: string, text: string) =>
      logger.lines.filter((line) => line.level === level && line.message.includes(text));
    try {
      await redis().stop();
      await waitFor(
        'the alert worker to try three times without Redis',
        () => lines('debug', 'the alert worker waits for Redis').length,
        (tries) => tries >= 3,
        20_000,
      );
      expect(lines('warn', 'alert worker error')).to.deep.equal([]);
      // Its own outage once (its blocking connection may be the only one cut), not at each try.
      expect(lines('warn', 'the alert worker cannot reach Redis')).to.have.length(1);
      const lost = lines('warn', 'Redis connection lost').map((line) => line.context?.connection);
      expect(lost).to.not.be.empty;
      expect(new Set(lost).size).to.equal(lost.length);
    } finally {
      await redis().start();
    }
  });
});
