import { expect } from 'chai';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { StreamJobEventSource } from '../../src/adapters/bullmq/stream-job-event-source.js';
import { RecordingLogger } from '../support/recording-logger.js';
import { useRedisServer } from '../support/redis-harness.js';
import { waitFor } from '../support/wait-for.js';

describe('StreamJobEventSource (real Redis, real BullMQ)', () => {
  const redis = useRedisServer();
  const closers: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  /** A source on the harness's Redis that records every activity call. */
  function activitySource(tieredFrom?: number): {
    source: StreamJobEventSource;
    seen: (readonly string[] | 'all')[];
  } {
    const source = new StreamJobEventSource(
      new Redis(redis().url, { maxRetriesPerRequest: 0, retryStrategy: () => 100 }),
      { now: () => Date.now() },
      new RecordingLogger(),
      {
        prefix: 'bull',
        keyRoot: 'queuewatch',
        batchSize: 100,
        blockMs: 100,
        trackedJobs: 100,
        maxUnfinishedWork: 100,
        ...(tieredFrom === undefined ? {} : { tieredFrom }),
      },
    );
    closers.push(() => source.stop());
    const seen: (readonly string[] | 'all')[] = [];
    source.onActivity((queues) => seen.push(queues));
    return { source, seen };
  }

  describe('with many streams (a busy one read apart from the quiet ones)', () => {
    it('should read every entry of the busy stream and of a quiet one that wakes up, each in order', async function () {
      this.timeout(30_000);
      const admin = new Redis(redis().url);
      closers.push(() => admin.quit());
      const { source } = activitySource(3);
      const received: string[] = [];
      source.onEvent((event) => {
        if (event.kind === 'progress') received.push(`${event.queueName}/${event.jobId}`);
      });
      const names = ['busy', 'quiet-1', 'quiet-2', 'quiet-3', 'quiet-4'];
      source.follow(names);
      await source.start();
      const progress = (queue: string, jobId: string) =>
        admin.xadd(`bull:${queue}:events`, '*', 'event', 'progress', 'jobId', jobId, 'data', '1');

      // The busy stream gets an entry every few ms for about a second: it stays hot, read alone,
      // and the quiet ones are only swept; one of them wakes up in the middle.
      const busy: string[] = [];
      const quiet: string[] = [];
      for (let index = 0; index < 150; index += 1) {
        busy.push(`busy/${String(index)}`);
        await progress('busy', String(index));
        if (index % 50 === 25) {
          const jobId = `q${String(index)}`;
          quiet.push(`quiet-3/${jobId}`);
          await progress('quiet-3', jobId);
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await waitFor(
        'every entry of both streams',
        () => received,
        (seen) => seen.length >= busy.length + quiet.length,
      );
      expect(received.filter((entry) => entry.startsWith('busy/'))).to.deep.equal(busy);
      expect(received.filter((entry) => entry.startsWith('quiet-'))).to.deep.equal(quiet);
    });
  });

  describe('.onActivity', () => {
    it('should name the queues whose streams had entries of any kind, and say "all" after losing Redis', async function () {
      this.timeout(30_000);
      const queue = new Queue('active-queue', { connection: { url: redis().url } });
      closers.push(() => queue.close());
      await queue.add('first', {});
      const { source, seen } = activitySource();
      source.follow(['active-queue', 'quiet-queue']);
      await source.start();

      // An added job is no job event the relay forwards, but it changes the queue.
      await queue.add('second', {});
      await waitFor(
        'the added job to be seen as activity',
        () => seen,
        (calls) => calls.some((call) => call !== 'all' && call.includes('active-queue')),
      );
      expect(seen.flatMap((call) => (call === 'all' ? [] : call))).to.not.include('quiet-queue');

      await redis().stop();
      await redis().start();
      await waitFor(
        'activity in every queue after the reader lost Redis',
        () => seen,
        (calls) => calls.includes('all'),
        20_000,
      );
    });

    it('should not count progress alone as activity: it moves no job between states', async function () {
      this.timeout(30_000);
      const admin = new Redis(redis().url);
      closers.push(() => admin.quit());
      const { source, seen } = activitySource();
      source.follow(['progress-queue', 'marker-queue']);
      await source.start();

      // Written in the order BullMQ would: the marker's entry is read with or after the progress.
      await admin.xadd(
        'bull:progress-queue:events',
        '*',
        'event',
        'progress',
        'jobId',
        '1',
        'data',
        '50',
      );
      await admin.xadd(
        'bull:marker-queue:events',
        '*',
        'event',
        'added',
        'jobId',
        '1',
        'name',
        'x',
      );
      await waitFor(
        'the marker queue to be seen as activity',
        () => seen,
        (calls) => calls.some((call) => call !== 'all' && call.includes('marker-queue')),
      );
      expect(seen.flatMap((call) => (call === 'all' ? [] : call))).to.not.include('progress-queue');
    });
  });
});
