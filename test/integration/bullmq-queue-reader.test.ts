import { once } from 'node:events';
import { expect } from 'chai';
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { BullmqQueueReader } from '../../src/adapters/bullmq/bullmq-queue-reader.js';
import type {
  QueueInspectionRequest,
  QueueReading,
  QueueReadout,
} from '../../src/application/ports/queue.port.js';
import type { QueueSnapshot } from '../../src/domain/queue-health/index.js';
import { freePort } from '../../src/demo/redis-server-process.js';
import { useRedisServer } from '../support/redis-harness.js';

const samples = { activeJobs: 100, completedJobs: 20 };

function value<T>(reading: QueueReading<T> | undefined): T {
  if (!reading?.ok) throw new Error(`reading failed: ${reading ? reading.reason : 'missing'}`);
  return reading.value;
}

/** A deep read of `name`: everything a health check can ask for. */
function deep(name: string, finishedSince = 0, staleStartedBy = 0): QueueInspectionRequest {
  return { name, depth: 'deep', finishedSince, staleStartedBy, processingTimes: true };
}

/** The readout of a deep read as one snapshot. */
function snapshotOf(reading: QueueReading<QueueReadout> | undefined): QueueSnapshot {
  const { workerCount, figures, samples: sampled } = value(reading);
  if (!figures || !sampled) throw new Error('a deep read returned no figures or samples');
  return { name: reading?.name ?? '', workerCount, ...figures, ...sampled };
}

describe('BullmqQueueReader (real Redis, real BullMQ)', () => {
  const redis = useRedisServer();
  let connection: Redis;
  const opened: { close(): Promise<void> }[] = [];

  beforeEach(() => {
    connection = new Redis(redis().url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  });
  afterEach(async () => {
    for (const thing of opened.splice(0).reverse()) await thing.close();
    connection.disconnect();
  });

  function queue(name: string): Queue {
    const created = new Queue(name, { connection: { url: redis().url } });
    opened.push(created);
    return created;
  }

  async function readyConnection(): Promise<BullmqQueueReader> {
    if (connection.status !== 'ready') await once(connection, 'ready');
    return new BullmqQueueReader(connection, 'bull');
  }

  describe('.readCounts', () => {
    it('should count every state exactly as BullMQ does', async () => {
      const q = queue('counts');
      await q.addBulk([
        { name: 'a', data: {} },
        { name: 'b', data: {} },
        { name: 'c', data: {} },
      ]);
      await q.add('p', {}, { priority: 3 });
      await q.add('d', {}, { delay: 60_000 });
      const reader = await readyConnection();

      const [reading] = await reader.readCounts(['counts']);
      const bullmq = await q.getJobCounts(
        'wait',
        'prioritized',
        'active',
        'completed',
        'failed',
        'delayed',
        'waiting-children',
      );
      expect(value(reading)).to.deep.equal({
        counts: {
          waiting: (bullmq.wait ?? 0) + (bullmq.prioritized ?? 0),
          prioritized: bullmq.prioritized,
          active: bullmq.active,
          completed: bullmq.completed,
          failed: bullmq.failed,
          delayed: bullmq.delayed,
          paused: 0,
          waitingChildren: bullmq['waiting-children'],
        },
        isPaused: false,
      });
      expect(value(reading).counts).to.include({ waiting: 4, prioritized: 1, delayed: 1 });
    });

    it('should follow pause and resume', async () => {
      const q = queue('pausing');
      await q.add('a', {});
      const reader = await readyConnection();
      await q.pause();
      expect(value((await reader.readCounts(['pausing']))[0]).counts).to.include({
        waiting: 1,
        paused: 1,
      });
      expect(value((await reader.readCounts(['pausing']))[0]).isPaused)
        .to.equal(await q.isPaused())
        .and.equal(true);
      await q.resume();
      expect(value((await reader.readCounts(['pausing']))[0]).isPaused).to.equal(false);
    });

    it('should read a queue that does not exist yet as empty, not as an error', async () => {
      const reader = await readyConnection();
      expect(value((await reader.readCounts(['never-used']))[0]).counts.waiting).to.equal(0);
    });
  });

  describe('.inspect', () => {
    it('should report finished jobs in the window, processing times, the last finish and workers', async () => {
      const q = queue('finishing');
      const startedAt = Date.now();
      const worker = new Worker(
        'finishing',
        (job: Job) =>
          job.name === 'bad' ? Promise.reject(new Error('boom')) : Promise.resolve('ok'),
        { connection: { url: redis().url } },
      );
      opened.push(worker);
      let finished = 0;
      const allFinished = new Promise<void>((resolve) => {
        const count = () => {
          finished += 1;
          if (finished === 5) resolve();
        };
        worker.on('completed', count);
        worker.on('failed', count);
      });
      await q.addBulk([
        { name: 'good', data: {} },
        { name: 'good', data: {} },
        { name: 'good', data: {} },
        { name: 'bad', data: {} },
        { name: 'bad', data: {} },
      ]);
      await allFinished;
      await worker.waitUntilReady();
      const reader = await readyConnection();

      const [reading] = await reader.inspect([deep('finishing', startedAt)], samples);
      const snapshot = snapshotOf(reading);
      expect(snapshot.finishedInWindow).to.deep.equal({ completed: 3, failed: 2 });
      expect(snapshot.recentProcessingTimesMs).to.have.length(3);
      for (const ms of snapshot.recentProcessingTimesMs) expect(ms).to.be.at.least(0);
      expect(snapshot.lastFinishedAt).to.be.within(startedAt, Date.now());
      expect(snapshot.workerCount).to.equal(1);

      const [later] = await reader.inspect([deep('finishing', Date.now() + 1_000)], samples);
      expect(snapshotOf(later).finishedInWindow).to.deep.equal({ completed: 0, failed: 0 });
      // Both windows in one call: each queue's own arguments, not the first one's for all.
      const both = await reader.inspect(
        [deep('finishing', startedAt), deep('finishing', Date.now() + 1_000)],
        samples,
      );
      expect(both.map((one) => snapshotOf(one).finishedInWindow)).to.deep.equal([
        { completed: 3, failed: 2 },
        { completed: 0, failed: 0 },
      ]);

      await worker.close();
      const [afterClose] = await reader.inspect([deep('finishing', startedAt)], samples);
      expect(snapshotOf(afterClose).workerCount).to.equal(0);
    });

    it('should report when each active job started processing', async () => {
      const q = queue('busy');
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      let started: (job: Job) => void = () => undefined;
      const running = new Promise<Job>((resolve) => (started = resolve));
      const worker = new Worker(
        'busy',
        async (job: Job) => {
          started(job);
          await held;
        },
        { connection: { url: redis().url } },
      );
      opened.push(worker);
      await q.add('long', {});
      const job = await running;
      const reader = await readyConnection();
      try {
        const [reading] = await reader.inspect([deep('busy')], samples);
        expect(snapshotOf(reading).counts.active).to.equal(1);
        expect(snapshotOf(reading).activeStartedAt).to.deep.equal([job.processedOn]);
      } finally {
        release();
      }
    });

    it('should keep each queue apart and read many in one call', async () => {
      await queue('one').add('a', {});
      await queue('two').addBulk([
        { name: 'a', data: {} },
        { name: 'b', data: {} },
      ]);
      const reader = await readyConnection();
      const readings = await reader.inspect([deep('one'), deep('two')], samples);
      expect(readings.map((reading) => snapshotOf(reading).counts.waiting)).to.deep.equal([1, 2]);
      expect(readings.map((reading) => value(reading).workerCount)).to.deep.equal([0, 0]);
    });

    it('should fail only the queue whose keys cannot be read, and read the others of the same call', async () => {
      await queue('before').add('a', {});
      await queue('after').addBulk([
        { name: 'a', data: {} },
        { name: 'b', data: {} },
      ]);
      // Not a list: LLEN answers WRONGTYPE for this queue alone.
      await connection.set('bull:broken:wait', 'not a list');
      const reader = await readyConnection();
      const readings = await reader.inspect(
        [deep('before'), deep('broken'), deep('after')],
        samples,
      );
      expect(snapshotOf(readings[0]).counts.waiting).to.equal(1);
      expect(readings[1]).to.include({ name: 'broken', ok: false });
      expect(readings[1]?.ok === false ? readings[1].reason : '').to.match(/WRONGTYPE/);
      expect(snapshotOf(readings[2]).counts.waiting).to.equal(2);
      const counts = await reader.readCounts(['before', 'broken', 'after']);
      expect(counts.map((reading) => reading.ok)).to.deep.equal([true, false, true]);
    });

    it('should hand back thousands of readings in the order asked, each at the depth asked', async () => {
      await queue('busy-0').addBulk([
        { name: 'a', data: {} },
        { name: 'b', data: {} },
      ]);
      // Every other queue waits on its own number of jobs, so a reading handed to the wrong queue
      // (one call's replies in another call's place) shows.
      const waitingOf = (index: number): number => index % 97;
      const seed = connection.pipeline();
      for (let index = 1; index < 2_500; index += 1) {
        const jobIds = Array.from({ length: waitingOf(index) }, (_, job) => `j${String(job)}`);
        if (jobIds.length > 0) seed.rpush(`bull:busy-${String(index)}:wait`, ...jobIds);
      }
      await seed.exec();
      const reader = await readyConnection();
      const depths = ['none', 'counts', 'deep'] as const;
      const requests = Array.from({ length: 2_500 }, (_, index): QueueInspectionRequest => ({
        ...deep(`busy-${String(index)}`),
        depth: depths[index % 3] ?? 'deep',
      }));
      const readings = await reader.inspect(requests, samples);
      expect(readings.map((reading) => reading.name)).to.deep.equal(
        requests.map((request) => request.name),
      );
      readings.forEach((reading, index) => {
        const { figures, samples: sampled, workerCount } = value(reading);
        expect(workerCount, `workers of ${reading.name}`).to.equal(0);
        expect(figures === null, `figures of ${reading.name}`).to.equal(index % 3 === 0);
        expect(sampled === null, `samples of ${reading.name}`).to.equal(index % 3 !== 2);
        if (index > 0 && figures !== null) {
          expect(figures.counts.waiting, `waiting in ${reading.name}`).to.equal(waitingOf(index));
        }
      });
      expect(value(readings[0]).figures).to.equal(null);
      const first = await reader.inspect([{ ...deep('busy-0'), depth: 'counts' }], samples);
      expect(value(first[0]).figures?.counts.waiting).to.equal(2);
    });

    it('should count every state exactly as BullMQ does, at every depth', async () => {
      const q = queue('inspected-counts');
      await q.addBulk([
        { name: 'a', data: {} },
        { name: 'b', data: {} },
      ]);
      await q.add('p', {}, { priority: 2 });
      await q.add('d', {}, { delay: 60_000 });
      await q.pause();
      const reader = await readyConnection();
      const bullmq = await q.getJobCounts(
        'wait',
        'prioritized',
        'active',
        'completed',
        'failed',
        'delayed',
        'waiting-children',
      );
      const expected = {
        waiting: (bullmq.wait ?? 0) + (bullmq.prioritized ?? 0),
        prioritized: bullmq.prioritized,
        active: bullmq.active,
        completed: bullmq.completed,
        failed: bullmq.failed,
        delayed: bullmq.delayed,
        paused: (bullmq.wait ?? 0) + (bullmq.prioritized ?? 0),
        waitingChildren: bullmq['waiting-children'],
      };
      const [full, counts, none] = await reader.inspect(
        [
          deep('inspected-counts'),
          { ...deep('inspected-counts'), depth: 'counts' },
          { ...deep('inspected-counts'), depth: 'none' },
        ],
        samples,
      );
      expect(snapshotOf(full).counts).to.deep.equal(expected);
      expect(snapshotOf(full).isPaused)
        .to.equal(await q.isPaused())
        .and.equal(true);
      expect(value(counts).figures?.counts).to.deep.equal(expected);
      expect(value(counts).samples).to.equal(null);
      expect(value(none)).to.deep.equal({ workerCount: 0, figures: null, samples: null });
    });

    it('should walk the active jobs from the oldest and stop at the first fresh one', async () => {
      const now = Date.now();
      const minutes = (count: number): number => now - count * 60_000;
      // BullMQ moves a job into `active` on the left: the oldest is on the right.
      const startedAt: [string, number | null][] = [
        ['1', minutes(10)],
        ['2', null], // its hash is gone: skipped
        ['3', minutes(9)],
        ['4', minutes(1)], // fresh: the walk stops here
        ['5', minutes(8)],
        ['6', now],
      ];
      const reader = await readyConnection();
      const write = connection.pipeline();
      for (const [id, at] of startedAt) {
        write.lpush('bull:walk:active', id);
        if (at !== null) write.hset(`bull:walk:${id}`, 'processedOn', at);
      }
      await write.exec();
      const staleStartedBy = minutes(5);

      const [walked] = await reader.inspect([deep('walk', 0, staleStartedBy)], samples);
      expect(snapshotOf(walked).activeStartedAt).to.deep.equal([
        minutes(10),
        minutes(9),
        minutes(1),
      ]);
      expect(snapshotOf(walked).counts.active).to.equal(6);

      const [capped] = await reader.inspect([deep('walk', 0, staleStartedBy)], {
        activeJobs: 2,
        completedJobs: 1,
      });
      expect(snapshotOf(capped).activeStartedAt).to.deep.equal([minutes(10)]);

      const [nothingStale] = await reader.inspect([deep('walk', 0, minutes(60))], samples);
      expect(snapshotOf(nothingStale).activeStartedAt).to.deep.equal([minutes(10)]);
    });

    it('should read the processing times of the latest completed jobs only', async () => {
      const reader = await readyConnection();
      const write = connection.pipeline();
      for (let id = 1; id <= 30; id += 1) {
        write.zadd('bull:timed:completed', 1_000 * id, String(id));
        write.hset(
          `bull:timed:${String(id)}`,
          'processedOn',
          1_000 * id - id,
          'finishedOn',
          1_000 * id,
        );
      }
      await write.exec();
      const [reading] = await reader.inspect([deep('timed', 25_500)], {
        activeJobs: 5,
        completedJobs: 3,
      });
      expect(snapshotOf(reading).recentProcessingTimesMs).to.deep.equal([30, 29, 28]);
      expect(snapshotOf(reading).lastFinishedAt).to.equal(30_000);
      expect(snapshotOf(reading).finishedInWindow).to.deep.equal({ completed: 5, failed: 0 });

      // Kept from completion events instead: no job hash is read, the last finish still is.
      const [kept] = await reader.inspect([{ ...deep('timed', 25_500), processingTimes: false }], {
        activeJobs: 5,
        completedJobs: 3,
      });
      expect(snapshotOf(kept).recentProcessingTimesMs).to.deep.equal([]);
      expect(snapshotOf(kept).lastFinishedAt).to.equal(30_000);
    });
  });

  describe('having no Redis to read from', () => {
    it('should fail every queue with the reason instead of throwing or hanging', async () => {
      const nowhere = new Redis(`redis://127.0.0.1:${String(await freePort())}`, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        retryStrategy: () => null,
      });
      nowhere.on('error', () => undefined);
      try {
        const reader = new BullmqQueueReader(nowhere, 'bull');
        const readings = await reader.inspect([deep('a'), deep('b')], samples);
        expect(readings.map((reading) => reading.ok)).to.deep.equal([false, false]);
        expect(readings[0])
          .to.have.property('reason')
          .that.matches(/Redis connection is/);
      } finally {
        nowhere.disconnect();
      }
    });
  });
});
