import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createProgressGateway,
  type ProgressGateway,
  type ProgressGatewayOptions,
} from '../../src/adapters/socketio/progress-gateway.js';
import type { ProgressHandshakeAuth } from '../../src/application/contract/socket-events.js';
import { RecordingLogger } from './recording-logger.js';
import { RecordingClient } from './socket-clients.js';

/** A gateway on an HTTP server of its own, without Redis: the test hands it deliveries. */
export interface BareGateway {
  readonly gateway: ProgressGateway;
  readonly logger: RecordingLogger;
  /** A client connected to it, closed after the test. */
  readonly connect: (auth?: ProgressHandshakeAuth) => Promise<RecordingClient>;
}

/**
 * A fresh progress gateway for each test, served on a free port, with these options (a
 * gateway without auth, 10 subscriptions, the standalone server's backpressure by default).
 */
export function useBareGateway(
  options: Partial<Omit<ProgressGatewayOptions, 'logger'>>,
): () => BareGateway {
  let server: Server;
  let current: BareGateway;
  const clients: RecordingClient[] = [];

  beforeEach(async () => {
    const logger = new RecordingLogger();
    const gateway = createProgressGateway({
      authenticate: null,
      subscriptionLimit: 10,
      backpressure: { slowAfterPackets: 1_000, disconnectAfterDeliveries: 10_000 },
      ...options,
      logger,
    });
    server = createServer();
    gateway.attach(server, '/socket.io');
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
    current = {
      gateway,
      logger,
      connect: async (auth) => {
        const client = await RecordingClient.connect(url, auth);
        clients.push(client);
        return client;
      },
    };
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await current.gateway.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  return () => current;
}
