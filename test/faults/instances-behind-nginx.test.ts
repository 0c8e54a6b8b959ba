import { expect } from 'chai';
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { NginxProcess } from '../support/nginx-process.js';
import { startQueuewatchProcess, type QueuewatchProcess } from '../support/queuewatch-process.js';
import { useRedisServer } from '../support/redis-harness.js';
import { eventOf, RecordingClient } from '../support/socket-clients.js';
import { socketClientsOf } from '../support/socket-metrics.js';
import { waitFor } from '../support/wait-for.js';

const queueName = 'orders';
const clientCount = 30;
const jobCount = 40;

/** Jobs 0–9 and 20–29 complete, 10–19 and 30–39 fail for good. */
const fails = (index: number): boolean => Math.floor(index / 10) % 2 === 1;

/** A client through nginx that follows jobs and, after each reconnect, resumes them. */
interface Follower {
  readonly client: RecordingClient;
  /** When its socket dropped, and when it had resumed every job after that (ms epoch). */
  droppedAt: number | null;
  resumedAt: number | null;
  /** Subscriptions the gateway refused (none expected). */
  readonly refusals: string[];
}

describe('three Queuewatch instances behind nginx (real nginx, processes and Redis; one SIGKILLed)', () => {
  const redis = useRedisServer();
  const closers: (() => unknown)[] = [];
  const held = new Map<string, () => void>();

  afterEach(async () => {
    for (const release of held.values()) release();
    held.clear();
    for (const close of closers.splice(0).reverse()) await close();
  });

  /** Three instances on a flushed Redis, and nginx in front with the shipped configuration. */
  async function startBehindNginx(
    ipHash: boolean,
  ): Promise<{ instances: QueuewatchProcess[]; nginx: NginxProcess }> {
    const admin = new Redis(redis().url);
    await admin.flushall();
    admin.disconnect();
    const instances: QueuewatchProcess[] = [];
    for (const id of ['qw-a', 'qw-b', 'qw-c']) {
      const instance = await startQueuewatchProcess({
        REDIS_URL: redis().url,
        QUEUEWATCH_QUEUES: queueName,
        QUEUEWATCH_INSTANCE_ID: id,
      });
      closers.push(() => instance.stop());
      instances.push(instance);
    }
    const nginx = await NginxProcess.launch(
      instances.map((instance) => `127.0.0.1:${new URL(instance.url).port}`),
      { ipHash },
    );
    closers.push(() => nginx.stop());
    return { instances, nginx };
  }

  it('should keep the clients of a killed instance, reconnected by nginx to live ones, up to date on every job they follow', async function () {
    this.timeout(90_000);
    // The shipped configuration without ip_hash: WebSocket clients need no sticky sessions.
    const { instances, nginx } = await startBehindNginx(false);
    const health = await fetch(`${nginx.url}/api/v1/health/queues`);
    expect(health.status, 'health through nginx').to.equal(200);

    const queue = new Queue(queueName, { connection: { url: redis().url } });
    const worker = new Worker(
      queueName,
      async (job: Job<{ index: number }>) => {
        await new Promise<void>((resolve) => held.set(job.id ?? '', resolve));
        if (fails(job.data.index))
          throw new UnrecoverableError(`order ${String(job.data.index)} declined`);
        return { index: job.data.index };
      },
      { connection: { url: redis().url }, concurrency: jobCount },
    );
    closers.push(
      () => queue.close(),
      () => worker.close(true),
    );
    const jobs = await queue.addBulk(
      Array.from({ length: jobCount }, (_, index) => ({ name: 'order', data: { index } })),
    );
    const jobIds = jobs.map((job) => job.id ?? '');
    await waitFor(
      'every job to be taken by the worker',
      () => held.size,
      (size) => size === jobCount,
    );

    const followers: Follower[] = [];
    for (let index = 0; index < clientCount; index += 1) {
      const client = await RecordingClient.connect(nginx.url);
      closers.push(() => {
        client.close();
      });
      const follower: Follower = { client, droppedAt: null, resumedAt: null, refusals: [] };
      const follow = (): Promise<unknown> =>
        Promise.all(
          jobIds.map(async (jobId) => {
            const ack = await client.request('subscribe-to-job', {
              jobId,
              queueName,
              resume: true,
            });
            if (!ack.ok) follower.refusals.push(`${jobId}: ${ack.error.message}`);
          }),
        );
      await follow();
      client.socket.on('disconnect', () => {
        follower.droppedAt ??= Date.now();
      });
      // Every connect after the first is a reconnect: subscribe again, resuming.
      client.socket.on('connect', () => {
        void follow().then(() => {
          follower.resumedAt = Date.now();
        });
      });
      followers.push(follower);
    }
    const spread = await Promise.all(
      instances.map((instance) => socketClientsOf(instance.url, 'per-event')),
    );
    expect(spread.reduce((sum, count) => sum + count, 0)).to.equal(clientCount);
    expect(
      spread.every((count) => count > 0),
      `clients per instance: ${String(spread)}`,
    ).to.equal(true);

    // The dropped clients reconnect when the test says, after the first jobs have ended: a
    // client of Socket.IO reconnects by itself after a delay; here that delay is made certain.
    for (const { client } of followers) client.socket.io.reconnection(false);
    const victim = instances[1];
    if (!victim) throw new Error('no second instance');
    await victim.kill();
    const release = (from: number, to: number): void => {
      for (const jobId of jobIds.slice(from, to)) held.get(jobId)?.();
    };
    // While the victim's clients are away: 10 jobs complete and 10 fail.
    release(0, 20);
    const finished = await waitFor(
      'the first 20 jobs to finish',
      async () => Promise.all(jobs.slice(0, 20).map((job) => job.getState())),
      (states) => states.every((state) => state === 'completed' || state === 'failed'),
    );
    expect(finished.filter((state) => state === 'failed')).to.have.length(10);
    const finishedAt = Date.now();

    const dropped = await waitFor(
      'the clients of the killed instance to see their socket drop',
      () => followers.filter((follower) => follower.droppedAt !== null),
      (seen) => seen.length === spread[1],
    );
    for (const { client } of dropped) client.socket.connect();
    await waitFor(
      'every dropped client to reconnect through nginx and resume',
      () => dropped.filter((follower) => follower.resumedAt !== null).length,
      (count) => count === dropped.length,
      30_000,
    );
    // They came back after the first jobs had finished: only resume could tell them.
    for (const follower of dropped) expect(follower.droppedAt).to.be.lessThan(finishedAt);
    const survivors = [instances[0], instances[2]].filter((instance) => instance !== undefined);
    const after = await Promise.all(
      survivors.map((instance) => socketClientsOf(instance.url, 'per-event')),
    );
    expect(after.reduce((sum, count) => sum + count, 0)).to.equal(clientCount);

    // Live again, on the surviving instances: the rest complete and fail.
    release(20, jobCount);
    for (const { client } of followers) {
      await waitFor(
        'every job to end for the client',
        () =>
          new Set(
            client.received
              .filter((event) => event.name !== 'job-progress')
              .map((event) => event.payload.jobId),
          ).size,
        (count) => count === jobCount,
        20_000,
      );
    }

    for (const { client } of followers) {
      for (const [index, jobId] of jobIds.entries()) {
        const ends = client.received.filter(
          (event) => event.payload.jobId === jobId && event.name !== 'job-progress',
        );
        expect(ends.length, `job ${jobId}`).to.be.greaterThan(0);
        for (const end of ends) {
          if (fails(index)) {
            expect(end.name).to.equal('job-failed');
            expect(end.payload).to.include({
              willRetry: false,
              failedReason: `order ${String(index)} declined`,
            });
          } else {
            expect(end.name).to.equal('job-completed');
            expect(end.payload).to.deep.include({ returnValue: { index } });
          }
        }
      }
    }
    // The clients of the other instances never dropped: every event reached them live.
    const droppedInAll = followers.filter((follower) => follower.droppedAt !== null).length;
    expect(droppedInAll).to.equal(spread[1]);
    expect(followers.flatMap((follower) => follower.refusals)).to.deep.equal([]);
  });

  it('should serve HTTP long-polling clients through the shipped configuration (ip_hash: sticky sessions)', async function () {
    this.timeout(30_000);
    const { nginx } = await startBehindNginx(true);
    const queue = new Queue(queueName, { connection: { url: redis().url } });
    const worker = new Worker(queueName, () => Promise.resolve({ polled: true }), {
      connection: { url: redis().url },
    });
    closers.push(
      () => queue.close(),
      () => worker.close(true),
    );
    // Several clients: each session's requests must all reach the instance that holds it.
    const clients = await Promise.all(
      Array.from({ length: 5 }, () =>
        RecordingClient.connect(nginx.url, undefined, { transports: ['polling'] }),
      ),
    );
    for (const client of clients) {
      closers.push(() => {
        client.close();
      });
      expect(client.socket.io.engine.transport.name).to.equal('polling');
      const ack = await client.request('subscribe-to-queue', { queueName });
      expect(ack.ok).to.equal(true);
    }
    const job = await queue.add('order', {});
    for (const client of clients) {
      const completed = await client.next(eventOf('job-completed', job.id ?? ''));
      expect(completed.payload).to.deep.include({ returnValue: { polled: true } });
    }
  });
});
