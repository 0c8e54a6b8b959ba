import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Server as Engine } from 'engine.io';

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * Hand the requests and WebSocket upgrades of `server` under `path` (`/queues/socket.io`) to the
 * engine, and every other request to the listeners the server had (the host's Express app), as
 * engine.io's own `attach` does. Unlike it, this can be undone without closing the server — the
 * server may be another application's — and it leaves other upgrades (the host's own WebSocket
 * server) alone. Answers the function that undoes it.
 */
export function interceptEngineRequests(
  server: HttpServer,
  path: string,
  engine: Engine,
): () => void {
  const prefix = `${path.replace(/\/+$/, '')}/`;
  // The same test as engine.io's: the URL as sent starts with the path.
  const ours = (request: IncomingMessage): boolean => request.url?.startsWith(prefix) ?? false;
  const previous = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  const onRequest: RequestListener = (request, response) => {
    if (ours(request)) {
      engine.handleRequest(request, response);
      return;
    }
    for (const listener of previous) listener.call(server, request, response);
  };
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (ours(request)) {
      upgradeWithoutHoldingTheRequest(engine, request, socket, head);
      return;
    }
    // Node destroys an upgrade nobody listens for; with this listener alone, do as it would.
    if (server.listenerCount('upgrade') === 1) socket.destroy();
  };
  server.on('request', onRequest);
  server.on('upgrade', onUpgrade);
  return () => {
    server.off('request', onRequest);
    server.off('upgrade', onUpgrade);
    // The listeners it stood in for go back in front, in their order.
    for (const listener of [...previous].reverse()) server.prependListener('request', listener);
  };
}

/**
 * engine.io's upgrade answers through a response object that it ties to the TCP socket with
 * `socket.once('close', …)`, holding that response and the upgrade request (its headers, ~1.8 KiB)
 * for the life of a WebSocket connection. Only engine middlewares listen for that response's
 * `close`, and Queuewatch has none: the `once` listeners the upgrade added are taken back, so an
 * idle connection keeps neither. ws's own close handling is a plain listener and stays.
 */
function upgradeWithoutHoldingTheRequest(
  engine: Engine,
  request: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): void {
  const before = new Set(socket.rawListeners('close'));
  engine.handleUpgrade(request, socket, head);
  for (const added of socket.rawListeners('close')) {
    const wrapped = (added as { listener?: unknown }).listener;
    if (!before.has(added) && typeof wrapped === 'function') {
      socket.removeListener('close', wrapped as (...args: unknown[]) => void);
    }
  }
}
