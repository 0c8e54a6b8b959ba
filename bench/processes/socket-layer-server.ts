import { createServer } from 'node:http';
import { Server as Engine } from 'engine.io';
import { WebSocketServer, type WebSocket } from 'ws';
import { interceptEngineRequests } from '../../src/adapters/socketio/engine-attachment.js';
import { listenOnLoopback } from '../lib/listen.js';
import { reportUsageOverIpc } from '../lib/usage-reporter.js';

/**
 * One layer of the stack a Socket.IO connection stands on, served alone, for what each keeps per
 * idle connection: `ws` (the WebSocket library engine.io uses, with the options engine.io gives
 * it) or `engine.io` (Socket.IO's transport layer, configured and served as Queuewatch does).
 */
const layer = process.env.SOCKET_LAYER;
const server = createServer();

if (layer === 'ws') {
  // What engine.io creates: no client tracking of its own, no compression.
  const webSockets = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    maxPayload: 64 * 1024,
  });
  // A server keeps its clients somewhere; a Set is the least it can do.
  const clients = new Set<WebSocket>();
  server.on('upgrade', (request, socket, head) => {
    webSockets.handleUpgrade(request, socket, head, (client) => {
      clients.add(client);
      client.on('close', () => clients.delete(client));
    });
  });
} else if (layer === 'engine.io') {
  // Served as Queuewatch serves its engine: neither the upgrade request nor its answer is kept,
  // nor (below) the connection's first HTTP request.
  const engine = new Engine({ maxHttpBufferSize: 64 * 1024 });
  interceptEngineRequests(server, '/engine.io', engine);
  engine.on('connection', (socket: { request: unknown }) => {
    socket.request = null;
  });
} else {
  throw new Error(`SOCKET_LAYER must be "ws" or "engine.io", not ${String(layer)}`);
}

reportUsageOverIpc();
listenOnLoopback(server);
