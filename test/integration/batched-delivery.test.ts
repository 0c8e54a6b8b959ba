import { expect } from 'chai';
import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import type { ProgressGateway } from '../../src/adapters/socketio/progress-gateway.js';
import type { ProgressHandshakeAuth } from '../../src/application/contract/socket-events.js';
import type { RunningQueuewatch } from '../../src/bootstrap/queuewatch.js';
import { resolve } from '../../src/bootstrap/provide.js';
import { TOKENS } from '../../src/bootstrap/tokens.js';
import { useInProcessQueuewatch } from '../support/in-process-queuewatch.js';
import { useRedisServer } from '../support/redis-harness.js';
import { eventOf, RecordingClient, type Received } from '../support/socket-clients.js';
import { waitFor } from '../support/wait-for.js';

interface WorkData {
  steps?: number;
  fail?: string;
  /** Report padded progress `{ step, padding }` for as long as `flooding` holds. */
  flood?: boolean;
}

/** While a flood job runs: it stops once the test has seen what it waits for. */
let flooding = false;

/** Reports `steps` progress values (or floods), then fails or returns `{ done: steps }`. */
async function work(job: Job<WorkData>): Promise<{ done: number }> {
  if (job.data.flood) {
    const padding = 'p'.repeat(4_000);
    let step = 0;
    while (flooding) {
      step += 1;
      await job.updateProgress({ step, padding });
    }
    return { done: step };
  }
  const steps = job.data.steps ?? 0;
  for (let step = 1; step <= steps; step += 1) await job.updateProgress(step);
  if (job.data.fail !== undefined) throw new UnrecoverableError(job.data.fail);
  return { done: steps };
}

describe('batched delivery (auth.delivery: "batch"; real Redis, BullMQ and clients)', () => {
  const redis = useRedisServer();
  const queuewatch = useInProcessQueuewatch(redis, { QUEUEWATCH_QUEUES: 'alpha,beta' });
  const { closers } = queuewatch;

  async function start(): Promise<{ app: RunningQueuewatch; gateway: ProgressGateway }> {
    const app = await queuewatch.start();
    return { app, gateway: resolve(app.container, TOKENS.ProgressGateway) };
  }

  const queue = (name: string): Queue<WorkData> => queuewatch.queue(name, work);
  const client = (
    app: RunningQueuewatch,
    auth: ProgressHandshakeAuth = { delivery: 'batch' },
  ): Promise<RecordingClient> => queuewatch.client(app, auth);

  const summary = (events: readonly Received[]): string[] =>
    events.map((event) => `${event.name}:${event.payload.jobId}:${JSON.stringify(event.payload)}`);

  it('should give a batched client the same events, in the same order, as a per-event client', async () => {
    const { app } = await start();
    const [perEvent, batched] = await Promise.all([
      client(app, { delivery: 'event' }),
      client(app),
    ]);
    for (const recording of [perEvent, batched])
      expect((await recording.request('subscribe-to-queue', { queueName: 'alpha' })).ok).to.equal(
        true,
      );

    const alpha = queue('alpha');
    await alpha.add('long', { steps: 100 }, { jobId: 'x1' });
    await alpha.add('short', { steps: 5 }, { jobId: 'x2' });
    await alpha.add('bad', { steps: 2, fail: 'broken input' }, { jobId: 'y1' });
    for (const recording of [perEvent, batched]) {
      await Promise.all([
        recording.next(eventOf('job-completed', 'x1')),
        recording.next(eventOf('job-completed', 'x2')),
        recording.next(eventOf('job-failed', 'y1')),
      ]);
    }

    expect(summary(batched.received)).to.deep.equal(summary(perEvent.received));
    expect(batched.received.filter((event) => event.name === 'job-progress')).to.not.be.empty;
    expect(new Set(batched.packets)).to.deep.equal(new Set(['events']));
    expect(new Set(perEvent.packets)).to.not.include('events');
    expect(batched.packets.length).to.be.lessThan(batched.received.length);
  });

  it('should send an event once to a batched client subscribed to its job, its queue and everything', async () => {
    const { app } = await start();
    const batched = await client(app);
    await batched.request('subscribe-to-job', { jobId: 'd1', queueName: 'alpha' });
    await batched.request('subscribe-to-job', { jobId: 'd1' });
    await batched.request('subscribe-to-queue', { queueName: 'alpha' });
    await batched.request('subscribe-to-queue', { queueName: '*' });

    await queue('alpha').add('dup', { steps: 20 }, { jobId: 'd1' });
    await batched.next(eventOf('job-completed', 'd1'));

    const events = summary(batched.received);
    expect(new Set(events).size).to.equal(events.length);
    // Only d1: a fresh Queuewatch may replay events of earlier tests from its checkpoint.
    expect(batched.received.filter(eventOf('job-completed', 'd1'))).to.have.length(1);
    const steps = batched.received
      .filter(eventOf('job-progress', 'd1'))
      .map((event) => Number(event.payload.progress));
    expect(steps.at(-1)).to.equal(20);
    for (let index = 1; index < steps.length; index += 1)
      expect(steps[index]).to.be.greaterThan(steps[index - 1]!);
  });

  it('should refuse an unknown delivery mode at connect time with QW_INVALID_DELIVERY', async () => {
    const { app } = await start();
    for (const delivery of ['batches', 42, null]) {
      const refusal = await RecordingClient.connect(app.url, {
        delivery,
      } as unknown as ProgressHandshakeAuth).then(
        () => null,
        (error: unknown) => error as Error & { data?: { code: string } },
      );
      expect(refusal?.data, String(delivery)).to.deep.equal({ code: 'QW_INVALID_DELIVERY' });
      expect(refusal?.message).to.match(
        /^invalid delivery: auth\.delivery must be "event" \(the default\) or "batch", not /,
      );
    }
    const accepted = await client(app, { delivery: 'event' });
    expect((await accepted.request('subscribe-to-queue', { queueName: '*' })).ok).to.equal(true);
  });

  it('should move a batched client between audience groups as it subscribes and unsubscribes', async () => {
    const { app, gateway } = await start();
    const alpha = queue('alpha');
    const beta = queue('beta');
    const [first, second] = await Promise.all([client(app), client(app)]);
    expect(gateway.broadcaster.batchGroups).to.equal(0);

    await first.request('subscribe-to-queue', { queueName: 'alpha' });
    await second.request('subscribe-to-job', { jobId: 'g1', queueName: 'alpha' });
    expect(gateway.broadcaster.batchGroups).to.equal(2);

    // The same subscriptions, reached in another order: one group for both.
    await second.request('subscribe-to-queue', { queueName: 'alpha' });
    await second.request('unsubscribe-from-job', { jobId: 'g1', queueName: 'alpha' });
    expect(gateway.broadcaster.batchGroups).to.equal(1);
    await alpha.add('both', {}, { jobId: 'g2' });
    await Promise.all([
      first.next(eventOf('job-completed', 'g2')),
      second.next(eventOf('job-completed', 'g2')),
    ]);

    // The first leaves alpha for beta: alpha's events no longer reach it.
    await first.request('unsubscribe-from-queue', { queueName: 'alpha' });
    await first.request('subscribe-to-queue', { queueName: 'beta' });
    expect(gateway.broadcaster.batchGroups).to.equal(2);
    await alpha.add('after', {}, { jobId: 'g3' });
    await second.next(eventOf('job-completed', 'g3'));
    await beta.add('sentinel', {}, { jobId: 'g4' });
    await first.next(eventOf('job-completed', 'g4'));
    expect(first.received.map((event) => event.payload.jobId)).to.not.include('g3');

    first.close();
    await waitFor(
      "the first client's group to be gone",
      () => gateway.broadcaster.batchGroups,
      (groups) => groups === 1,
    );
  });

  it('should hold back a batched client that stops reading, and catch it up in batches', async function () {
    this.timeout(60_000);
    const { app, gateway } = await start();
    const [stalled, healthy] = await Promise.all([client(app), client(app)]);
    await stalled.request('subscribe-to-job', { jobId: 'flood', queueName: 'alpha' });
    await stalled.request('subscribe-to-queue', { queueName: 'alpha' });
    await healthy.request('subscribe-to-queue', { queueName: 'alpha' });
    const transport = stalled.socket.io.engine.transport as unknown as {
      ws: { _socket: { pause(): void; resume(): void } };
    };
    transport.ws._socket.pause();

    // Flood until the stalled client counts as slow, however long its buffers take to fill.
    flooding = true;
    closers.push(() => {
      flooding = false;
    });
    await queue('alpha').add('flood', { flood: true }, { jobId: 'flood' });
    await waitFor(
      'the stalled client to count as slow',
      () => gateway.broadcaster.slowClients,
      (count) => count === 1,
      40_000,
    );
    flooding = false;
    const done = await healthy.next(eventOf('job-completed', 'flood'), 30_000);
    const steps = (done.payload.returnValue as { done: number }).done;
    expect(gateway.broadcaster.slowClients).to.equal(1);

    transport.ws._socket.resume();
    await stalled.next(eventOf('job-completed', 'flood'), 30_000);
    const progress = stalled.received.filter(eventOf('job-progress', 'flood'));
    expect(progress.length).to.be.lessThan(steps);
    expect((progress.at(-1)?.payload.progress as { step: number }).step).to.equal(steps);
    expect(stalled.received.filter(eventOf('job-completed', 'flood'))).to.have.length(1);
    expect(stalled.received.at(-1)?.name).to.equal('job-completed');
    expect(new Set(stalled.packets)).to.deep.equal(new Set(['events']));
    await waitFor(
      'the client to count as fast again',
      () => gateway.broadcaster.slowClients,
      (count) => count === 0,
    );
  });
});
