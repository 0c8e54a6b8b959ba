import { expect } from 'chai';
import { io } from 'socket.io-client';
import type { RunningQueuewatch } from '../../src/bootstrap/queuewatch.js';
import { useInProcessQueuewatch } from '../support/in-process-queuewatch.js';
import { rawRequest } from '../support/raw-http.js';
import { useRedisServer } from '../support/redis-harness.js';

type Transport = 'polling' | 'websocket';

/** Open one `/job-progress` connection with these headers; answers how it ended. */
function tryConnect(
  app: RunningQueuewatch,
  transport: Transport,
  headers: Record<string, string>,
): Promise<{ connected: boolean; error?: string }> {
  const socket = io(`${app.url}/job-progress`, {
    transports: [transport],
    reconnection: false,
    extraHeaders: headers,
  });
  return new Promise((resolve) => {
    socket.once('connect', () => {
      socket.close();
      resolve({ connected: true });
    });
    socket.once('connect_error', (error) => {
      socket.close();
      resolve({ connected: false, error: error.message });
    });
  });
}

describe('the Origin and Host checks of the socket handshake (real Queuewatch, real clients)', () => {
  const redis = useRedisServer();
  const { start } = useInProcessQueuewatch(redis, { QUEUEWATCH_QUEUES: 'alpha' });

  for (const transport of ['polling', 'websocket'] as const) {
    describe(`over ${transport}`, () => {
      it('should refuse a page of another origin', async () => {
        const app = await start();
        const outcome = await tryConnect(app, transport, { origin: 'https://evil.example' });
        expect(outcome.connected).to.equal(false);
      });

      it('should let in its own origin, no origin, and an allowed one', async () => {
        const app = await start({ QUEUEWATCH_ALLOWED_ORIGINS: 'https://ops.example.com' });
        const own = new URL(app.url).origin;
        for (const headers of [{ origin: own }, {}, { origin: 'https://ops.example.com' }]) {
          const outcome = await tryConnect(app, transport, headers);
          expect(outcome, JSON.stringify(headers)).to.deep.equal({ connected: true });
        }
      });
    });
  }

  it('should answer a refused polling handshake 403, saying what to configure', async () => {
    const app = await start();
    const answer = await rawRequest(`${app.url}/socket.io/?EIO=4&transport=polling`, {
      headers: { origin: 'https://evil.example' },
    });
    expect(answer.status).to.equal(403);
    const body = answer.json as { message: string };
    expect(body.message).to.match(/^QW_FORBIDDEN_ORIGIN: /);
    expect(body.message).to.contain('QUEUEWATCH_ALLOWED_ORIGINS');
    expect(answer.headers['access-control-allow-origin']).to.equal(undefined);
  });

  it("should send CORS headers to an allowed origin's long-polling only", async () => {
    const app = await start({ QUEUEWATCH_ALLOWED_ORIGINS: 'https://ops.example.com' });
    const allowed = await rawRequest(`${app.url}/socket.io/?EIO=4&transport=polling`, {
      headers: { origin: 'https://ops.example.com' },
    });
    expect(allowed.status).to.equal(200);
    expect(allowed.headers['access-control-allow-origin']).to.equal('https://ops.example.com');
    const api = await rawRequest(`${app.url}/api/v1/queues`, {
      headers: { origin: 'https://ops.example.com' },
    });
    expect(api.status).to.equal(200);
    expect(api.headers['access-control-allow-origin']).to.equal(undefined);
  });

  it('should refuse a handshake addressed to a name that is not loopback (DNS rebinding)', async () => {
    const app = await start();
    const port = new URL(app.url).port;
    const rebound = await rawRequest(`${app.url}/socket.io/?EIO=4&transport=polling`, {
      headers: { host: `rebound.evil.example:${port}` },
    });
    expect(rebound.status).to.equal(403);
    expect((rebound.json as { message: string }).message).to.match(/^QW_FORBIDDEN_HOST: /);
    const local = await rawRequest(`${app.url}/socket.io/?EIO=4&transport=polling`, {
      headers: { host: `localhost:${port}` },
    });
    expect(local.status).to.equal(200);
    expect(local.text).to.contain('"sid"');
  });

  it('should refuse a WebSocket upgrade from another origin before any session exists', async () => {
    const app = await start();
    const answer = await rawRequest(`${app.url}/socket.io/?EIO=4&transport=websocket`, {
      headers: {
        origin: 'https://evil.example',
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
      },
    });
    expect(answer.status).to.equal(400);
    expect(answer.text).to.match(/^QW_FORBIDDEN_ORIGIN: /);
  });
});
