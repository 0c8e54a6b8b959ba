import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import {
  createProgressGateway,
  type ProgressGateway,
} from '../../src/adapters/socketio/progress-gateway.js';
import type { GatewayDelivery } from '../../src/application/ports/delivery-sink.port.js';
import { roomsFor } from '../../src/domain/subscriptions/index.js';
import { RecordingLogger } from '../support/recording-logger.js';
import { RecordingClient, type Received } from '../support/socket-clients.js';

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
  let server: Server;
  let gateway: ProgressGateway;
  let url: string;
  const clients: RecordingClient[] = [];

  beforeEach(async () => {
    gateway = createProgressGateway({
      authenticate: null,
      subscriptionLimit: 10,
      backpressure: { slowAfterPackets: 1_000, disconnectAfterDeliveries: 10_000 },
      batchIntervalMs: intervalMs,
      logger: new RecordingLogger(),
    });
    server = createServer();
    gateway.attach(server, '/socket.io');
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await gateway.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  async function following(...jobIds: string[]): Promise<RecordingClient> {
    const client = await RecordingClient.connect(url, { delivery: 'batch' });
    clients.push(client);
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
    gateway.broadcaster.deliver(progress('alpha', 'a1', 1));
    await busy.next((event) => event.payload.jobId === 'a1');
    gateway.broadcaster.deliver(progress('alpha', 'a1', 2));
    gateway.broadcaster.deliver(progress('alpha', 'b1', 1));

    await quiet.next((event) => event.payload.jobId === 'b1', intervalMs / 2);
    expect(steps(busy, 'a1')).to.deep.equal([1]);
    await busy.next((event) => event.payload.jobId === 'a1' && event.payload.progress === 2);
    expect(steps(busy, 'a1')).to.deep.equal([1, 2]);
    expect(busy.packets).to.deep.equal(['events', 'events']);
  });

  it('should give a client that leaves a waiting group what waited for it, at once and once', async () => {
    const mover = await following('a1');
    gateway.broadcaster.deliver(progress('alpha', 'a1', 1));
    await mover.next((event) => event.payload.jobId === 'a1');
    gateway.broadcaster.deliver(progress('alpha', 'a1', 2));

    // A new group, with nothing waiting: what waited for the old one is sent before the ack.
    expect(
      (await mover.request('subscribe-to-job', { queueName: 'alpha', jobId: 'c1' })).ok,
    ).to.equal(true);
    expect(steps(mover, 'a1')).to.deep.equal([1, 2]);
    gateway.broadcaster.deliver(progress('alpha', 'a1', 3));
    await mover.next((event) => event.payload.jobId === 'a1' && event.payload.progress === 3);
    expect(steps(mover, 'a1')).to.deep.equal([1, 2, 3]);
  });

  it('should not send twice what waits both for the group a client leaves and the one it joins', async () => {
    const mover = await following('a1');
    const settled = await following('a1', 'c1');
    gateway.broadcaster.deliver(progress('alpha', 'a1', 1));
    await Promise.all(
      [mover, settled].map((client) => client.next((event) => event.payload.jobId === 'a1')),
    );
    gateway.broadcaster.deliver(progress('alpha', 'a1', 2));

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
