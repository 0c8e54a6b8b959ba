import { expect } from 'chai';
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { HealthReportBody } from '../../src/application/contract/health.js';
import type { JobStatusBody } from '../../src/application/contract/jobs.js';
import { resolve } from '../../src/bootstrap/provide.js';
import { TOKENS } from '../../src/bootstrap/tokens.js';
import { startQueuewatchProcess, type QueuewatchProcess } from '../support/queuewatch-process.js';
import { useInProcessQueuewatch } from '../support/in-process-queuewatch.js';
import { useRedisServer } from '../support/redis-harness.js';
import { eventOf, RecordingClient } from '../support/socket-clients.js';
import { waitFor } from '../support/wait-for.js';

describe('gateway resilience and polling (real Redis, real BullMQ, real clients)', () => {
  const redis = useRedisServer();
  const queuewatch = useInProcessQueuewatch(redis, { QUEUEWATCH_QUEUES: 'gamma' });
  const { closers, start } = queuewatch;

  async function client(url: string): Promise<RecordingClient> {
    const connected = await RecordingClient.connect(url);
    closers.push(() => {
      connected.close();
    });
    return connected;
  }

  describe('GET /api/v1/queues/:queue/jobs/:id', () => {
    it("should report a job's state, progress and processing time", async () => {
      const app = await start();
      const queue = new Queue('gamma', { connection: { url: redis().url } });
      closers.push(() => queue.close());
      await queue.add('waiting-one', { a: 1 }, { jobId: 'w1' });
      const waiting = (await (
        await fetch(`${app.url}/api/v1/queues/gamma/jobs/w1`)
      ).json()) as JobStatusBody;
      expect(waiting).to.include({
        id: 'w1',
        queueName: 'gamma',
        name: 'waiting-one',
        state: 'waiting',
        progress: 0,
        attemptsMade: 0,
        processingTime: null,
      });

      const worker = new Worker(
        'gamma',
        async (job: Job) => {
          await job.updateProgress({ percent: 100 });
          return 'ok';
        },
        { connection: { url: redis().url } },
      );
      closers.push(() => worker.close(true));
      const done = await waitFor(
        'the job to complete',
        async () =>
          (await (await fetch(`${app.url}/api/v1/queues/gamma/jobs/w1`)).json()) as JobStatusBody,
        (job) => job.state === 'completed',
      );
      expect(done.progress).to.deep.equal({ percent: 100 });
      expect(done.processingTime)
        .to.be.a('number')
        .and.equal(done.finishedOn! - done.processedOn!);
      expect(done.attemptsMade).to.equal(1);
    });

    it('should answer 404 for an unknown job or an unwatched queue, and 400 for a bad id', async () => {
      const app = await start();
      const unknownJob = await fetch(`${app.url}/api/v1/queues/gamma/jobs/nope`);
      expect(unknownJob.status).to.equal(404);
      expect(await unknownJob.json()).to.deep.equal({
        error: { code: 'QW_NOT_FOUND', message: 'queue "gamma" has no job "nope"' },
      });
      const unwatched = await fetch(`${app.url}/api/v1/queues/secret/jobs/1`);
      expect(unwatched.status).to.equal(404);
      const tooLong = await fetch(`${app.url}/api/v1/queues/gamma/jobs/${'x'.repeat(300)}`);
      expect(tooLong.status).to.equal(400);
      expect(((await tooLong.json()) as { error: { code: string } }).error.code).to.equal(
        'QW_BAD_REQUEST',
      );
    });
  });

  it('should report events lost to stream trimming in health, and keep relaying', async () => {
    const app = await start();
    const queue = new Queue('gamma', { connection: { url: redis().url } });
    closers.push(() => queue.close());
    const admin = new Redis(redis().url);
    closers.push(() => admin.quit());
    const worker = new Worker('gamma', () => Promise.resolve('ok'), {
      connection: { url: redis().url },
    });
    closers.push(() => worker.close(true));
    await queue.add('first', {});
    const watcher = await client(app.url);
    await watcher.request('subscribe-to-queue', { queueName: 'gamma' });

    // Cut the event reader off, and while it is away add events and trim them all: atomically,
    // so it cannot read them first.
    const clients = String(await admin.client('LIST')).split('\n');
    const readerId = /id=(\d+)/.exec(
      clients.find((line) => line.includes('name=queuewatch:events')) ?? '',
    )?.[1];
    expect(readerId).to.be.a('string');
    await admin
      .multi()
      .xadd('bull:gamma:events', '*', 'event', 'progress', 'jobId', 'lost', 'data', '1')
      .xtrim('bull:gamma:events', 'MAXLEN', 0)
      .client('KILL', 'ID', readerId!)
      .exec();

    const report = await waitFor(
      'health to report lost events',
      async () =>
        (await (await fetch(`${app.url}/api/v1/health/queues`)).json()) as HealthReportBody,
      (body) => body.issues.some((issue) => issue.code === 'EVENTS_MISSED'),
    );
    expect(report.queues[0]?.status).to.equal('degraded');
    expect(report.issues.find((issue) => issue.code === 'EVENTS_MISSED')?.source).to.equal('gamma');

    await queue.add('after-gap', {}, { jobId: 'after-gap' });
    await watcher.next(eventOf('job-completed', 'after-gap'));
  });

  it('should hold back a client that stops reading, coalesce its progress, and catch it up when it reads again', async function () {
    this.timeout(60_000);
    const app = await start();
    const gateway = resolve(app.container, TOKENS.ProgressGateway);
    const [stalled, healthy] = await Promise.all([client(app.url), client(app.url)]);
    await stalled.request('subscribe-to-job', { jobId: 'flood', queueName: 'gamma' });
    await healthy.request('subscribe-to-job', { jobId: 'flood', queueName: 'gamma' });
    const transport = stalled.socket.io.engine.transport as unknown as {
      ws: { _socket: { pause(): void; resume(): void } };
    };
    transport.ws._socket.pause();

    const steps = 3_000;
    const padding = 'p'.repeat(2_000);
    const queue = new Queue('gamma', { connection: { url: redis().url } });
    const worker = new Worker(
      'gamma',
      async (job: Job) => {
        for (let step = 1; step <= steps; step += 1) await job.updateProgress({ step, padding });
        return 'flooded';
      },
      { connection: { url: redis().url } },
    );
    closers.push(
      () => queue.close(),
      () => worker.close(true),
    );
    await queue.add('flood', {}, { jobId: 'flood' });

    await healthy.next(eventOf('job-completed', 'flood'), 30_000);
    expect(
      healthy.received.filter((event) => event.name === 'job-progress').length,
    ).to.be.greaterThan(steps / 2);
    expect(gateway.broadcaster.slowClients).to.equal(1);

    transport.ws._socket.resume();
    await stalled.next(eventOf('job-completed', 'flood'), 30_000);
    const progress = stalled.received.filter((event) => event.name === 'job-progress');
    expect(progress.length).to.be.lessThan(steps);
    expect((progress.at(-1)?.payload.progress as { step: number }).step).to.equal(steps);
    expect(stalled.received.at(-1)?.name).to.equal('job-completed');
    await waitFor(
      'the client to count as fast again',
      () => gateway.broadcaster.slowClients,
      (count) => count === 0,
    );
  });

  describe('several instances', () => {
    async function startProcess(): Promise<QueuewatchProcess> {
      const started = await startQueuewatchProcess({
        REDIS_URL: redis().url,
        QUEUEWATCH_QUEUES: 'gamma',
      });
      closers.push(() => started.stop());
      return started;
    }

    it('should deliver every event to the subscribers of each of two Queuewatch processes', async function () {
      this.timeout(60_000);
      const [first, second] = await Promise.all([startProcess(), startProcess()]);
      const [onFirst, onSecond] = await Promise.all([client(first.url), client(second.url)]);
      await onFirst.request('subscribe-to-job', { jobId: 'shared', queueName: 'gamma' });
      await onSecond.request('subscribe-to-job', { jobId: 'shared', queueName: 'gamma' });
      const queue = new Queue('gamma', { connection: { url: redis().url } });
      const worker = new Worker(
        'gamma',
        async (job: Job) => {
          await job.updateProgress(50);
          return 'both';
        },
        { connection: { url: redis().url } },
      );
      closers.push(
        () => queue.close(),
        () => worker.close(true),
      );
      await queue.add('shared', {}, { jobId: 'shared' });
      const [a, b] = await Promise.all([
        onFirst.next(eventOf('job-completed', 'shared')),
        onSecond.next(eventOf('job-completed', 'shared')),
      ]);
      expect(a.payload.returnValue).to.equal('both');
      expect(b.payload.returnValue).to.equal('both');
      for (const recording of [onFirst, onSecond]) {
        expect(recording.received.map((event) => event.name)).to.deep.equal([
          'job-progress',
          'job-completed',
        ]);
      }
    });
  });
});
