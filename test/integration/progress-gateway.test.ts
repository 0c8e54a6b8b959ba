import { spawn } from 'node:child_process';
import { expect } from 'chai';
import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import { useInProcessQueuewatch } from '../support/in-process-queuewatch.js';
import { useRedisServer } from '../support/redis-harness.js';
import { eventOf, RecordingClient } from '../support/socket-clients.js';
import { waitFor } from '../support/wait-for.js';

interface WorkData {
  steps?: number;
  fail?: string;
  retry?: boolean;
}

/** Reports `steps` progress values (1..steps), then fails or returns `{ done: steps }`. */
async function work(job: Job<WorkData>): Promise<{ done: number }> {
  const steps = job.data.steps ?? 0;
  for (let step = 1; step <= steps; step += 1) await job.updateProgress(step);
  if (job.data.fail !== undefined) {
    throw job.data.retry ? new Error(job.data.fail) : new UnrecoverableError(job.data.fail);
  }
  return { done: steps };
}

describe('progress gateway (real Redis, real BullMQ workers, real socket.io clients)', () => {
  const redis = useRedisServer();
  const queuewatch = useInProcessQueuewatch(redis, { QUEUEWATCH_QUEUES: 'alpha,beta' });
  const { start, client } = queuewatch;
  const queue = (name: string): Queue<WorkData> => queuewatch.queue(name, work);

  it('should give each client exactly the events it subscribed to', async () => {
    const app = await start();
    const [byJob, byAnyQueueJob, byQueue, byAll, byOtherJob, byOtherQueue] = await Promise.all(
      Array.from({ length: 6 }, () => client(app)),
    );
    expect(
      await byJob!.request('subscribe-to-job', { jobId: 'x1', queueName: 'alpha' }),
    ).to.deep.include({ ok: true });
    expect((await byAnyQueueJob!.request('subscribe-to-job', { jobId: 'x1' })).ok).to.equal(true);
    expect((await byQueue!.request('subscribe-to-queue', { queueName: 'alpha' })).ok).to.equal(
      true,
    );
    expect((await byAll!.request('subscribe-to-queue', { queueName: '*' })).ok).to.equal(true);
    expect(
      (await byOtherJob!.request('subscribe-to-job', { jobId: 'y1', queueName: 'alpha' })).ok,
    ).to.equal(true);
    expect((await byOtherQueue!.request('subscribe-to-queue', { queueName: 'beta' })).ok).to.equal(
      true,
    );

    const alpha = queue('alpha');
    const beta = queue('beta');
    await alpha.add('ok', { steps: 3 }, { jobId: 'x1' });
    await alpha.add('bad', { fail: 'broken input' }, { jobId: 'y1' });
    await Promise.all([
      byAll!.next(eventOf('job-completed', 'x1')),
      byAll!.next(eventOf('job-failed', 'y1')),
      byQueue!.next(eventOf('job-completed', 'x1')),
      byQueue!.next(eventOf('job-failed', 'y1')),
      byJob!.next(eventOf('job-completed', 'x1')),
      byAnyQueueJob!.next(eventOf('job-completed', 'x1')),
      byOtherJob!.next(eventOf('job-failed', 'y1')),
    ]);
    // A sentinel on beta, sent after everything on alpha: when it arrives, nothing of alpha is still on its way.
    await beta.add('sentinel', {}, { jobId: 's1' });
    await Promise.all([
      byOtherQueue!.next(eventOf('job-completed', 's1')),
      byAll!.next(eventOf('job-completed', 's1')),
    ]);

    // Progress read in one batch may be coalesced (latest wins), so progress is checked apart.
    const names = (recording: RecordingClient) =>
      recording.received
        .filter((event) => event.name !== 'job-progress')
        .map((event) => `${event.name}:${event.payload.jobId}`);
    const progressOf = (recording: RecordingClient) =>
      recording.received
        .filter((event) => event.name === 'job-progress')
        .map((event) => `${event.payload.jobId}=${String(event.payload.progress)}`);
    expect(names(byJob!)).to.deep.equal(['job-completed:x1']);
    expect(byJob!.received.at(-1)?.name).to.equal('job-completed');
    const progress = progressOf(byJob!);
    expect(progress.at(-1)).to.equal('x1=3');
    expect(progress).to.deep.equal([...progress].sort());
    expect(new Set(progress).size).to.equal(progress.length);
    expect(byAnyQueueJob!.received).to.deep.equal(byJob!.received);
    expect(names(byOtherJob!)).to.deep.equal(['job-failed:y1']);
    expect(progressOf(byOtherJob!)).to.deep.equal([]);
    expect(names(byOtherQueue!)).to.deep.equal(['job-completed:s1']);
    expect(progressOf(byOtherQueue!)).to.deep.equal([]);
    expect(names(byQueue!)).to.have.members(['job-completed:x1', 'job-failed:y1']);
    expect(progressOf(byQueue!).at(-1)).to.equal('x1=3');
    expect(names(byAll!)).to.have.members([
      'job-completed:x1',
      'job-failed:y1',
      'job-completed:s1',
    ]);

    const completed = byJob!.received.at(-1)!.payload;
    expect(completed).to.include({ jobId: 'x1', queueName: 'alpha' });
    expect(completed.returnValue).to.deep.equal({ done: 3 });
    expect(completed.processingTime).to.be.a('number').and.at.least(0);
    expect(completed.timestamp).to.be.a('number');
    const failed = byOtherJob!.received[0]!.payload;
    expect(failed).to.include({
      jobId: 'y1',
      queueName: 'alpha',
      failedReason: 'broken input',
      attemptsMade: 1,
      willRetry: false,
    });
  });

  it('should deliver many progress values in order, ending with the last', async () => {
    const app = await start();
    const watcher = await client(app);
    await watcher.request('subscribe-to-job', { jobId: 'long', queueName: 'alpha' });
    await queue('alpha').add('long', { steps: 200 }, { jobId: 'long' });
    await watcher.next(eventOf('job-completed', 'long'));
    const values = watcher.received
      .filter((event) => event.name === 'job-progress')
      .map((event) => Number(event.payload.progress));
    expect(values.at(-1)).to.equal(200);
    for (let index = 1; index < values.length; index += 1)
      expect(values[index]).to.be.greaterThan(values[index - 1]!);
  });

  it('should say when an attempt fails and will be retried', async () => {
    const app = await start();
    const watcher = await client(app);
    await watcher.request('subscribe-to-job', { jobId: 'flaky', queueName: 'alpha' });
    await queue('alpha').add(
      'flaky',
      { fail: 'try again', retry: true },
      { jobId: 'flaky', attempts: 2 },
    );
    const first = await watcher.next(
      (event) => event.name === 'job-failed' && event.payload.willRetry === true,
    );
    expect(first.payload).to.include({ failedReason: 'try again' });
    // The attempt's own number, even when the retry already ran before its event was read.
    expect(first.payload.attemptsMade).to.equal(1);
    const last = await watcher.next(
      (event) => event.name === 'job-failed' && event.payload.willRetry === false,
    );
    expect(last.payload).to.include({ failedReason: 'try again', attemptsMade: 2 });
  });

  it('should relay custom progress published by another process', async () => {
    const app = await start();
    const watcher = await client(app);
    await watcher.request('subscribe-to-job', { jobId: 'c1', queueName: 'beta' });
    const script = `
      import { Redis } from 'ioredis';
      import { publishCustomProgress } from './src/worker/index.ts';
      const redis = new Redis(process.env.REDIS_URL);
      const receivers = await publishCustomProgress(redis, { queueName: 'beta', jobId: 'c1', data: { stage: 'embedding', done: 3, total: 7 } });
      console.log(receivers);
      redis.disconnect();`;
    const worker = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        env: { ...process.env, REDIS_URL: redis().url },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    worker.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const event = await watcher.next(eventOf('custom-progress', 'c1'));
    expect(event.payload).to.include({ queueName: 'beta' });
    expect(event.payload.data).to.deep.equal({ stage: 'embedding', done: 3, total: 7 });
    await new Promise((resolve) => worker.on('exit', resolve));
    expect(output.trim()).to.equal('1');
  });

  it('should resume after Redis restarts and deliver a job that completes afterwards', async function () {
    this.timeout(60_000);
    const app = await start();
    const watcher = await client(app);
    await watcher.request('subscribe-to-queue', { queueName: 'alpha' });
    const alpha = queue('alpha');
    await alpha.add('before', {}, { jobId: 'before' });
    await watcher.next(eventOf('job-completed', 'before'));

    await redis().stop();
    await redis().start();
    await waitFor(
      'Queuewatch to be ready again',
      async () => (await fetch(`${app.url}/readyz`)).status,
      (status) => status === 200,
      30_000,
    );
    await waitFor(
      'the queue to accept jobs again',
      () => alpha.add('after', { steps: 1 }, { jobId: 'after' }),
      () => true,
      30_000,
    );
    const event = await watcher.next(eventOf('job-completed', 'after'), 30_000);
    expect(event.payload).to.include({ queueName: 'alpha' });
  });

  describe('bad input', () => {
    const cases: [
      string,
      'subscribe-to-job' | 'subscribe-to-queue' | 'unsubscribe-from-job' | 'unsubscribe-from-queue',
      unknown,
      RegExp,
    ][] = [
      ['a missing jobId', 'subscribe-to-job', {}, /jobId must be a string/],
      ['a number for jobId', 'subscribe-to-job', { jobId: 42 }, /jobId must be a string/],
      ['an empty jobId', 'subscribe-to-job', { jobId: '' }, /jobId must not be empty/],
      [
        'an over-long jobId',
        'subscribe-to-job',
        { jobId: 'j'.repeat(257) },
        /at most 256 characters/,
      ],
      ['an unknown field', 'subscribe-to-job', { jobId: 'a', extra: true }, /unknown field: extra/],
      ['a queue name with a colon', 'subscribe-to-queue', { queueName: 'a:b' }, /colon/],
      ['a string payload', 'subscribe-to-queue', 'alpha', /payload must be an object/],
      ['a null payload', 'unsubscribe-from-queue', null, /payload must be an object/],
      ['an array payload', 'unsubscribe-from-job', [1, 2], /payload must be an object/],
    ];

    for (const [what, event, payload, message] of cases) {
      it(`should answer ${what} with QW_INVALID_PAYLOAD and stay connected`, async () => {
        const app = await start();
        const sender = await client(app);
        const reply = await sender.request(event, payload);
        expect(reply.ok).to.equal(false);
        if (!reply.ok) {
          expect(reply.error.code).to.equal('QW_INVALID_PAYLOAD');
          expect(reply.error.message).to.match(message);
        }
        expect(sender.socket.connected).to.equal(true);
        expect((await sender.request('subscribe-to-queue', { queueName: 'alpha' })).ok).to.equal(
          true,
        );
      });
    }

    it('should survive a request without an acknowledgement callback', async () => {
      const app = await start();
      const sender = await client(app);
      sender.socket.emit('subscribe-to-job', { jobId: 'no-ack' });
      sender.socket.emit('subscribe-to-job', 'garbage' as never);
      const reply: unknown = await sender.socket.timeout(5_000).emitWithAck('get-subscriptions');
      expect(reply).to.deep.equal({
        ok: true,
        subscriptions: { jobs: [{ jobId: 'no-ack', queueName: null }], queues: [], all: false },
        count: 1,
      });
    });

    it('should refuse subscriptions beyond the limit, keeping the others', async () => {
      const app = await start({ QUEUEWATCH_MAX_SUBSCRIPTIONS: '2' });
      const sender = await client(app);
      expect((await sender.request('subscribe-to-job', { jobId: '1' })).ok).to.equal(true);
      expect((await sender.request('subscribe-to-queue', { queueName: '*' })).ok).to.equal(true);
      const refused = await sender.request('subscribe-to-job', { jobId: '3' });
      expect(refused).to.deep.include({ ok: false });
      if (!refused.ok) expect(refused.error.code).to.equal('QW_SUBSCRIPTION_LIMIT');
      expect(await sender.request('unsubscribe-from-job', { jobId: '1' })).to.deep.equal({
        ok: true,
        changed: true,
        subscription: { jobId: '1', queueName: null },
        count: 1,
      });
      expect(await sender.subscriptions()).to.deep.equal({
        ok: true,
        subscriptions: { jobs: [], queues: [], all: true },
        count: 1,
      });
    });

    it("should not let one client's bad requests disturb another client", async () => {
      const app = await start();
      const [noisy, calm] = await Promise.all([client(app), client(app)]);
      await calm.request('subscribe-to-job', { jobId: 'calm', queueName: 'alpha' });
      await Promise.all(
        Array.from({ length: 50 }, (_, index) =>
          noisy.request('subscribe-to-job', { jobId: index }),
        ),
      );
      await queue('alpha').add('calm', {}, { jobId: 'calm' });
      await calm.next(eventOf('job-completed', 'calm'));
    });
  });

  describe('acknowledgements', () => {
    it('should say what a request changed and how many subscriptions the socket holds', async () => {
      const app = await start();
      const sender = await client(app);
      const job = { jobId: 'a', queueName: 'alpha' };
      expect(await sender.request('subscribe-to-job', job)).to.deep.equal({
        ok: true,
        changed: true,
        subscription: job,
        count: 1,
      });
      expect(await sender.request('subscribe-to-job', job)).to.deep.equal({
        ok: true,
        changed: false,
        subscription: job,
        count: 1,
      });
      expect(await sender.request('subscribe-to-job', { jobId: 'a' })).to.deep.equal({
        ok: true,
        changed: true,
        subscription: { jobId: 'a', queueName: null },
        count: 2,
      });
      expect(await sender.request('subscribe-to-queue', { queueName: '*' })).to.deep.equal({
        ok: true,
        changed: true,
        subscription: { queueName: '*' },
        count: 3,
      });
      expect(await sender.request('unsubscribe-from-queue', { queueName: 'beta' })).to.deep.equal({
        ok: true,
        changed: false,
        subscription: { queueName: 'beta' },
        count: 3,
      });
      expect(await sender.request('unsubscribe-from-job', job)).to.deep.equal({
        ok: true,
        changed: true,
        subscription: job,
        count: 2,
      });
      expect(await sender.subscriptions()).to.deep.equal({
        ok: true,
        subscriptions: { jobs: [{ jobId: 'a', queueName: null }], queues: [], all: true },
        count: 2,
      });
    });

    it('should stay a few bytes on the wire at 1,000 subscriptions; only get-subscriptions lists them', async function () {
      this.timeout(30_000);
      const app = await start({ QUEUEWATCH_MAX_SUBSCRIPTIONS: '1000' });
      const sender = await client(app);
      // Every acknowledgement as it came off the wire: a socket.io ACK packet (type 3).
      const ackFrames: string[] = [];
      sender.socket.io.engine.on('packet', (packet) => {
        if (typeof packet.data === 'string' && packet.data.startsWith('3/job-progress,')) {
          ackFrames.push(packet.data);
        }
      });
      const lastAckBytes = () => Buffer.byteLength(ackFrames.at(-1) ?? '');
      const job = (index: number) => ({ jobId: `similarity-${String(index)}`, queueName: 'alpha' });

      const replies = await Promise.all(
        Array.from({ length: 999 }, (_, index) => sender.request('subscribe-to-job', job(index))),
      );
      expect(replies.every((reply) => reply.ok)).to.equal(true);
      const thousandth = await sender.request('subscribe-to-job', job(999));
      expect(lastAckBytes(), 'bytes of the acknowledgement').to.be.below(200);
      expect(thousandth).to.deep.include({ ok: true, changed: true, count: 1_000 });

      const refused = await sender.request('subscribe-to-queue', { queueName: 'beta' });
      expect(refused.ok).to.equal(false);
      expect(lastAckBytes(), ackFrames.at(-1)).to.be.below(300);

      const left = await sender.request('unsubscribe-from-job', job(0));
      expect(left).to.deep.include({ ok: true, changed: true, count: 999 });
      expect(lastAckBytes(), ackFrames.at(-1)).to.be.below(200);

      const list = await sender.subscriptions();
      expect(list.ok && list.subscriptions.jobs.length).to.equal(999);
      expect(list.ok && list.count).to.equal(999);
      // The measure sees the list where it belongs: tens of kilobytes, in this one answer.
      expect(lastAckBytes()).to.be.above(40_000);
      expect(ackFrames).to.have.length(1_003);
    });
  });

  describe('having an API token', () => {
    const token = 'gateway-token-0123456789abcdef';

    it('should refuse a connection without the token, with a clear error', async () => {
      const app = await start({ QUEUEWATCH_API_TOKEN: token });
      const refusal = await RecordingClient.connect(app.url).then(
        () => null,
        (error: unknown) => error as Error & { data?: { code: string } },
      );
      expect(refusal?.message).to.match(/^unauthorized: connect with \{ auth: \{ token/);
      expect(refusal?.data).to.deep.equal({ code: 'QW_UNAUTHORIZED' });
      const wrong = await RecordingClient.connect(app.url, { token: `${token}x` }).then(
        () => null,
        (error: unknown) => error as Error,
      );
      expect(wrong?.message).to.equal('unauthorized: the token is not valid');
    });

    it('should accept a connection with the token', async () => {
      const app = await start({ QUEUEWATCH_API_TOKEN: token });
      const accepted = await client(app, { token });
      expect((await accepted.request('subscribe-to-queue', { queueName: '*' })).ok).to.equal(true);
    });
  });
});
