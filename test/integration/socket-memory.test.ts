import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { IncomingMessage } from 'node:http';
import { expect } from 'chai';
import { io, type Socket } from 'socket.io-client';
import { resolve } from '../../src/bootstrap/provide.js';
import { TOKENS } from '../../src/bootstrap/tokens.js';
import { useInProcessQueuewatch } from '../support/in-process-queuewatch.js';
import { useRedisServer } from '../support/redis-harness.js';
import { waitFor } from '../support/wait-for.js';

setFlagsFromString('--expose_gc');
const collectGarbage = runInNewContext('gc') as () => void;

describe('memory of an idle socket (real Socket.IO, real Redis)', () => {
  const redis = useRedisServer();
  const queuewatch = useInProcessQueuewatch(redis, { QUEUEWATCH_QUEUES: 'payments' });

  for (const transports of [['websocket'], ['polling', 'websocket']]) {
    it(`should not keep the HTTP request a connection started with (${transports.join(' → ')})`, async function () {
      this.timeout(20_000);
      const app = await queuewatch.start();
      const gateway = resolve(app.container, TOKENS.ProgressGateway);
      const engine = (
        gateway.namespace.server as unknown as {
          engine: {
            on(event: string, listener: (headers: unknown, request: IncomingMessage) => void): void;
          };
        }
      ).engine;
      let first: WeakRef<IncomingMessage> | undefined;
      engine.on('initial_headers', (_headers, request) => {
        first ??= new WeakRef(request);
      });
      const socket: Socket = io(`${app.url}/job-progress`, { transports, forceNew: true });
      queuewatch.closers.push(() => socket.close());
      await new Promise<void>((done, fail) => {
        socket.once('connect', done);
        socket.once('connect_error', fail);
      });
      if (transports.length > 1) {
        await waitFor(
          'the upgrade to WebSocket',
          () => socket.io.engine.transport.name,
          (name) => name === 'websocket',
        );
      }
      expect(first, 'the first request seen').to.not.equal(undefined);
      await waitFor(
        'the first request to be collected while the socket stays connected',
        async () => {
          await new Promise((done) => setImmediate(done));
          collectGarbage();
          return first?.deref();
        },
        (request) => request === undefined,
        5_000,
      );
      expect(socket.connected).to.equal(true);
    });
  }
});
