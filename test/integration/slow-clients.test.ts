import { setImmediate as nextTurn } from 'node:timers/promises';
import { expect } from 'chai';
import type { GatewayDelivery } from '../../src/application/ports/delivery-sink.port.js';
import { roomsFor } from '../../src/domain/subscriptions/index.js';
import { useBareGateway } from '../support/bare-gateway.js';
import { waitFor } from '../support/wait-for.js';

/** Large enough that a stalled connection's kernel buffers fill after a few hundred. */
const padding = 'p'.repeat(16_000);

/** Progress of a job of its own: nothing coalesces it away. */
const progressOf = (index: number): GatewayDelivery => ({
  name: 'job-progress',
  payload: {
    jobId: `j${String(index)}`,
    queueName: 'alpha',
    progress: { index, padding },
    timestamp: 0,
  },
  rooms: roomsFor('alpha', `j${String(index)}`),
  jobKey: `alpha:j${String(index)}`,
  coalesce: true,
});

describe('slow clients (a real Socket.IO gateway, one client that stops reading)', () => {
  const bare = useBareGateway({
    backpressure: { slowAfterPackets: 10, disconnectAfterDeliveries: 50 },
  });

  it('should hold back a client that stops reading, disconnect it once it falls too far behind, and lose nothing for the others', async function () {
    this.timeout(60_000);
    const { gateway, logger, connect } = bare();
    const [stalled, healthy] = await Promise.all([connect(), connect()]);
    for (const client of [stalled, healthy]) {
      expect((await client.request('subscribe-to-queue', { queueName: 'alpha' })).ok).to.equal(
        true,
      );
    }
    const transport = stalled.socket.io.engine.transport as unknown as {
      ws: { _socket: { pause(): void; resume(): void } };
    };
    transport.ws._socket.pause();

    // Deliver, a few per turn, until the stalled client has been cut off (or 40 s have passed).
    let sent = 0;
    const deadline = performance.now() + 40_000;
    while (gateway.broadcaster.readings().slowDisconnects === 0 && performance.now() < deadline) {
      for (let index = 0; index < 10; index += 1) gateway.broadcaster.deliver(progressOf(sent++));
      await nextTurn();
    }

    expect(gateway.broadcaster.readings().slowDisconnects).to.equal(1);
    expect(logger.lines.map((line) => line.message)).to.include(
      'disconnecting a client that stopped reading events',
    );
    await waitFor(
      'the stalled client to be gone from the namespace',
      () => gateway.namespace.sockets.size,
      (size) => size === 1,
    );
    // Reading again, it hears it was disconnected (and reconnects by itself).
    const disconnected = new Promise((resolve) => stalled.socket.once('disconnect', resolve));
    transport.ws._socket.resume();
    await disconnected;
    await waitFor(
      'the healthy client to receive every delivery',
      () => healthy.received.length,
      (count) => count === sent,
      20_000,
    );
    const indexes = healthy.received.map(
      (event) => (event.payload.progress as { index: number }).index,
    );
    expect(indexes).to.deep.equal([...Array(sent).keys()]);
    expect(gateway.broadcaster.slowClients).to.equal(0);
  });
});
