import { expect } from 'chai';
import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { RunningQueuewatch } from '../../src/bootstrap/queuewatch.js';
import { useInProcessQueuewatch } from '../support/in-process-queuewatch.js';
import { useRedisServer } from '../support/redis-harness.js';
import { eventOf, type RecordingClient } from '../support/socket-clients.js';
import { waitFor } from '../support/wait-for.js';

interface WorkData {
  readonly fail?: string;
  /** Report this progress, then wait until `release` is called for the job. */
  readonly hold?: number;
}

const held = new Map<string, () => void>();

async function work(job: Job<WorkData>): Promise<{ id: string | undefined }> {
  if (job.data.hold !== undefined) {
    await job.updateProgress(job.data.hold);
    await new Promise<void>((resolve) => held.set(job.id ?? '', resolve));
  }
  if (job.data.fail !== undefined) throw new UnrecoverableError(job.data.fail);
  return { id: job.id };
}

describe('resuming a job subscription (subscribe-to-job with resume: true; real Redis and BullMQ)', () => {
  // Kept on disk, so the job is still there when Redis comes back.
  const redis = useRedisServer({ persistence: 'append-only' });
  const queuewatch = useInProcessQueuewatch(redis, { QUEUEWATCH_QUEUES: 'alpha,beta' });
  let app: RunningQueuewatch;
  let alpha: Queue<WorkData>;

  beforeEach(async () => {
    app = await queuewatch.start();
    alpha = queuewatch.queue('alpha', work);
  });
  afterEach(() => {
    for (const release of held.values()) release();
    held.clear();
  });

  /** Add a job and wait until BullMQ has it in `state`. */
  async function jobIn(data: WorkData, state: string): Promise<Job<WorkData>> {
    const job = await alpha.add('work', data);
    await waitFor(
      `job ${String(job.id)} ${state}`,
      () => job.getState(),
      (now) => now === state,
    );
    return job;
  }

  /** Events the client has of this job, by name. */
  const eventsOf = (client: RecordingClient, jobId: string): string[] =>
    client.received.filter((event) => event.payload.jobId === jobId).map((event) => event.name);

  it('should send a job that completed before the subscription its completion, before the acknowledgement', async () => {
    const job = await jobIn({}, 'completed');
    const finished = await alpha.getJob(job.id ?? '');
    const client = await queuewatch.client(app);

    const ack = await client.request('subscribe-to-job', {
      jobId: job.id,
      queueName: 'alpha',
      resume: true,
    });

    expect(ack).to.include({ ok: true, changed: true });
    const completed = client.received.find(eventOf('job-completed', job.id ?? ''));
    expect(completed?.payload).to.deep.equal({
      jobId: job.id,
      queueName: 'alpha',
      processingTime: (finished?.finishedOn ?? 0) - (finished?.processedOn ?? 0),
      timestamp: finished?.finishedOn,
      returnValue: { id: job.id },
    });
  });

  it('should send nothing of a finished job without resume (the contract as before)', async () => {
    const job = await jobIn({}, 'completed');
    const later = await alpha.add('work', { hold: 1 });
    const client = await queuewatch.client(app);

    await client.request('subscribe-to-job', { jobId: job.id, queueName: 'alpha' });
    await client.request('subscribe-to-job', { jobId: later.id, queueName: 'alpha' });
    await waitFor('the later job to be held', () => held.has(later.id ?? ''), Boolean);
    held.get(later.id ?? '')?.();
    await client.next(eventOf('job-completed', later.id ?? ''));

    expect(eventsOf(client, job.id ?? '')).to.deep.equal([]);
  });

  it("should send a job's final failure, and nothing of a job still running until it ends", async () => {
    const failed = await jobIn({ fail: 'card declined' }, 'failed');
    const running = await jobIn({ hold: 40 }, 'active');
    const client = await queuewatch.client(app);

    await client.request('subscribe-to-job', {
      jobId: failed.id,
      queueName: 'alpha',
      resume: true,
    });
    await client.request('subscribe-to-job', {
      jobId: running.id,
      queueName: 'alpha',
      resume: true,
    });

    expect(client.received.find(eventOf('job-failed', failed.id ?? ''))?.payload).to.include({
      failedReason: 'card declined',
      attemptsMade: 1,
      willRetry: false,
    });
    // Progress is not resumed: one read now could arrive after a completion sent live.
    expect(eventsOf(client, running.id ?? '')).to.deep.equal([]);
    held.get(running.id ?? '')?.();
    await client.next(eventOf('job-completed', running.id ?? ''));
  });

  it('should wait for at most 64 resumes per connection, refusing the next at once', async function () {
    this.timeout(30_000);
    const job = await jobIn({}, 'completed');
    const client = await queuewatch.client(app);
    const admin = new Redis(redis().url);
    queuewatch.closers.push(() => {
      admin.disconnect();
    });
    // Every client of Redis waits 2 s: the resumes' reads are in flight meanwhile.
    await admin.client('PAUSE', 2_000, 'ALL');
    const waiting = Array.from({ length: 64 }, (_, index) =>
      client.request('subscribe-to-job', { jobId: `other-${String(index)}`, resume: true }),
    );
    const refused = await client.request('subscribe-to-job', {
      jobId: job.id,
      queueName: 'alpha',
      resume: true,
    });
    expect(refused).to.deep.equal({
      ok: false,
      error: {
        code: 'QW_RESUME_FAILED',
        message: 'this connection already waits for 64 resumes: wait for their acknowledgements',
      },
    });
    // Each of them ends in its events or, if its read timed out during the pause, a refusal
    // that leaves it unsubscribed.
    const settled = await Promise.all(waiting);
    expect(
      settled.every((reply) => reply.ok || reply.error.code === 'QW_RESUME_FAILED'),
      JSON.stringify(settled[0]),
    ).to.equal(true);
    const made = settled.filter((reply) => reply.ok).length;
    expect(await client.subscriptions()).to.include({ ok: true, count: made });
    const ack = await client.request('subscribe-to-job', {
      jobId: job.id,
      queueName: 'alpha',
      resume: true,
    });
    expect(ack.ok).to.equal(true);
    expect(eventsOf(client, job.id ?? '')).to.deep.equal(['job-completed']);
  });

  it('should find the job in every watched queue when no queue is named, and batch it for a batched client', async () => {
    const job = await jobIn({}, 'completed');
    const client = await queuewatch.client(app, { delivery: 'batch' });

    await client.request('subscribe-to-job', { jobId: job.id, resume: true });

    expect(client.packets).to.deep.equal(['events']);
    expect(
      client.received.map((event) => `${event.name}:${event.payload.queueName}`),
    ).to.deep.equal(['job-completed:alpha']);
  });

  it('should refuse a resume it cannot read (Redis down) and leave the job unsubscribed, then resume once Redis is back', async () => {
    const job = await jobIn({}, 'completed');
    const client = await queuewatch.client(app);
    await redis().stop();
    try {
      const refused = await client.request('subscribe-to-job', {
        jobId: job.id,
        queueName: 'alpha',
        resume: true,
      });
      expect(refused.ok).to.equal(false);
      expect(refused).to.deep.equal({
        ok: false,
        error: {
          code: 'QW_RESUME_FAILED',
          message:
            'could not read the job to bring the subscription up to date (see the Queuewatch log); not subscribed: try again',
        },
      });
      expect(await client.subscriptions()).to.include({ ok: true, count: 0 });
    } finally {
      await redis().start();
    }
    const ack = await waitFor(
      'a resume once Redis is back',
      () => client.request('subscribe-to-job', { jobId: job.id, queueName: 'alpha', resume: true }),
      (reply) => reply.ok,
      20_000,
    );
    expect(ack.ok).to.equal(true);
    expect(eventsOf(client, job.id ?? '')).to.deep.equal(['job-completed']);
  });

  it('should refuse a resume that is not a boolean, naming the field', async () => {
    const client = await queuewatch.client(app);
    const reply = await client.request('subscribe-to-job', { jobId: '1', resume: 'yes' });
    expect(reply).to.deep.equal({
      ok: false,
      error: { code: 'QW_INVALID_PAYLOAD', message: 'resume must be true or false' },
    });
  });
});
