import { expect } from 'chai';
import type { GatewayDelivery } from '../../src/application/ports/delivery-sink.port.js';
import { roomsFor } from '../../src/domain/subscriptions/index.js';
import { useBareGateway } from '../support/bare-gateway.js';
import type { RecordingClient, Received } from '../support/socket-clients.js';

/** Long enough that nothing in a test reaches the end of a group's interval unless it waits. */
const intervalMs = 3_000;

const progress = (queueName: string, jobId: string, step: number): GatewayDelivery => ({
  name: 'job-progress',
  payload: { jobId, queueName, progress: step, timestamp: Date.now() },
  rooms: roomsFor(queueName, jobId),
  jobKey: `${queueName}:${jobId}`,
  coalesce: true,
});

const steps = (client: RecordingClient, jobId: string): unknown[] =>
  client.received
    .filter((event: Received) => event.name === 'job-progress' && event.payload.jobId === jobId)
    .map((event) => event.payload.progress);

describe('batch pacing per audience group (a real Socket.IO gateway and clients)', () => {
  const bare = useBareGateway({ batchIntervalMs: intervalMs });

  async function following(...jobIds: string[]): Promise<RecordingClient> {
    const client = await bare().connect({ delivery: 'batch' });
    for (const jobId of jobIds) {
      expect((await client.request('subscribe-to-job', { queueName: 'alpha', jobId })).ok).to.equal(
        true,
      );
    }
    return client;
  }

  it("should send a quiet group's events at once while a busy group waits out its interval", async () => {
    const busy = await following('a1');
    const quiet = await following('b1');
    bare().gateway.broadcaster.deliver(progress('alpha', 'a1', 1));
    await busy.next((event) => event.payload.jobId === 'a1');
    bare().gateway.broadcaster.deliver(progress('alpha', 'a1', 2));
    bare().gateway.broadcaster.deliver(progress('alpha', 'b1', 1));

    await quiet.next((event) => event.payload.jobId === 'b1', intervalMs / 2);
    expect(steps(busy, 'a1')).to.deep.equal([1]);
    await busy.next((event) => event.payload.jobId === 'a1' && event.payload.progress === 2);
    expect(steps(busy, 'a1')).to.deep.equal([1, 2]);
    expect(busy.packets).to.deep.equal(['events', 'events']);
  });

  it('should give a client that leaves a waiting group what waited for it, at once and once', async () => {
    const mover = await following('a1');
    bare().gateway.broadcaster.deliver(progress('alpha', 'a1', 1));
    await mover.next((event) => event.payload.jobId === 'a1');
    bare().gateway.broadcaster.deliver(progress('alpha', 'a1', 2));

    // A new group, with nothing waiting: what waited for the old one is sent before the ack.
    expect(
      (await mover.request('subscribe-to-job', { queueName: 'alpha', jobId: 'c1' })).ok,
    ).to.equal(true);
    expect(steps(mover, 'a1')).to.deep.equal([1, 2]);
    bare().gateway.broadcaster.deliver(progress('alpha', 'a1', 3));
    await mover.next((event) => event.payload.jobId === 'a1' && event.payload.progress === 3);
    expect(steps(mover, 'a1')).to.deep.equal([1, 2, 3]);
  });

  it('should not send twice what waits both for the group a client leaves and the one it joins', async () => {
    const mover = await following('a1');
    const settled = await following('a1', 'c1');
    bare().gateway.broadcaster.deliver(progress('alpha', 'a1', 1));
    await Promise.all(
      [mover, settled].map((client) => client.next((event) => event.payload.jobId === 'a1')),
    );
    bare().gateway.broadcaster.deliver(progress('alpha', 'a1', 2));

    // The mover joins the settled client's group, where step 2 also waits: it gets it from there.
    expect(
      (await mover.request('subscribe-to-job', { queueName: 'alpha', jobId: 'c1' })).ok,
    ).to.equal(true);
    expect(steps(mover, 'a1')).to.deep.equal([1]);
    await Promise.all(
      [mover, settled].map((client) =>
        client.next((event) => event.payload.jobId === 'a1' && event.payload.progress === 2),
      ),
    );
    expect(steps(mover, 'a1')).to.deep.equal([1, 2]);
    expect(steps(settled, 'a1')).to.deep.equal([1, 2]);
  });
});
