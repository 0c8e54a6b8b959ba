import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

/** Why the HTTP server could not start. */
export class ListenError extends Error {
  constructor(
    readonly code: 'QW_PORT_IN_USE' | 'QW_LISTEN_FAILED',
    message: string,
  ) {
    super(message);
    this.name = 'ListenError';
  }
}

/** A listening server and the address it got. */
export interface ListeningServer {
  readonly server: Server;
  readonly url: string;
  /**
   * Stop accepting connections and let requests under way finish, for at most `graceMs`; then
   * close whatever is left.
   */
  close(graceMs?: number): Promise<void>;
}

/** The HTTP server of the app, not yet listening (so Socket.IO can attach to it first). */
export function createHttpServer(app: Express): Server {
  return createServer(app);
}

/** Listen on host:port (port 0 picks a free one); a taken port is a ListenError, not a crash. */
export async function listen(server: Server, host: string, port: number): Promise<ListeningServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new ListenError(
              'QW_PORT_IN_USE',
              `port ${String(port)} on ${host} is already in use; set PORT to a free port`,
            )
          : new ListenError(
              'QW_LISTEN_FAILED',
              `cannot listen on ${host}:${String(port)}: ${error.message}`,
            ),
      );
    });
    server.listen(port, host, () => {
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    url: `http://${shownHost}:${String(address.port)}`,
    close: (graceMs = 5_000) =>
      new Promise<void>((resolve, reject) => {
        if (!server.listening) {
          server.closeAllConnections();
          resolve();
          return;
        }
        const cut = setTimeout(() => {
          server.closeAllConnections();
        }, graceMs);
        server.close((error) => {
          clearTimeout(cut);
          if (error) reject(error);
          else resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
