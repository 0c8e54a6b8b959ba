import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { mountedPath, watchMounts } from '../../adapters/http/mount.js';
import { resolve } from '../provide.js';
import { assembleQueuewatch } from '../queuewatch.js';
import { TOKENS } from '../tokens.js';
import { EmbedError } from './embed-error.js';
import { embeddedSettings, type QueuewatchOptions } from './embed-options.js';

/**
 * The API and the dashboard, as a handler for an Express application:
 * `app.use('/queues', qw.router)`. (It is an Express application itself, which is how it learns
 * where it was mounted.)
 */
export type QueuewatchRouter = (
  request: IncomingMessage,
  response: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/** Queuewatch inside your application (docs/embedding.md). */
export interface Queuewatch {
  /** The API and the dashboard: mount it once, `app.use('/queues', qw.router)`. */
  readonly router: QueuewatchRouter;
  /**
   * Serve the progress socket on the HTTP (or HTTPS) server your application listens on, at
   * `<mount path>/socket.io`, beside your own routes. Once, after `router` is mounted.
   */
  attach(server: Server): void;
  /**
   * Stop watching, disconnect the sockets and close Queuewatch's Redis connections. Your server
   * and your application stay as they are; requests under the mount path pass on to your routes.
   */
  close(): Promise<void>;
}

/** Where the socket is served under the mount path. */
const socketSegment = '/socket.io';

/**
 * Check the options, then start watching. Every option error (a missing or wrong `connection`, an
 * unknown option, a bad value) throws a ConfigError naming the option before anything is opened.
 */
export async function createQueuewatch(options: QueuewatchOptions): Promise<Queuewatch> {
  const settings = embeddedSettings(options);
  const queuewatch = await assembleQueuewatch(settings.config);
  const app = queuewatch.app;
  let mountedAt: string | null = null;
  let closed = false;

  watchMounts(app, (given) => {
    if (closed) throw new EmbedError('router: this Queuewatch is closed; create another to mount');
    if (mountedAt !== null) {
      throw new EmbedError(
        `router: already mounted at ${shownPath(mountedAt)}; mount it once (one dashboard, one ` +
          'socket path), or create a second Queuewatch for a second mount',
      );
    }
    if (typeof given !== 'string' || !/^\/[^:*?(){}+!\\[\]]*$/.test(given)) {
      throw new EmbedError(
        `router: mounted at ${JSON.stringify(given)}; mount it at one plain path, like ` +
          "app.use('/queues', qw.router)",
      );
    }
    const full = mountedPath(app);
    if (settings.mountPath !== null && settings.mountPath !== full) {
      throw new EmbedError(
        `router: mounted at ${shownPath(full)}, but the mountPath option says ` +
          `${shownPath(settings.mountPath)}; mount it there or correct mountPath`,
      );
    }
    mountedAt = full;
  });

  await queuewatch.start();
  queuewatch.logger.info('Queuewatch is watching', {
    queues: resolve(queuewatch.container, TOKENS.MonitoredQueues).names(),
    discovery: settings.config.queues.discover,
    auth: settings.config.auth.tokens.length === 0 ? 'off' : 'bearer token',
  });

  return {
    router: app,
    attach: (server) => {
      if (closed) throw new EmbedError('attach: this Queuewatch is closed');
      if (queuewatch.gateway.path !== null) {
        throw new EmbedError(
          `attach: the socket is already served at ${queuewatch.gateway.path}; attach it once`,
        );
      }
      if (!isServer(server)) {
        throw new EmbedError(
          'attach: expected the HTTP server your application listens on ' +
            '(const server = app.listen(3000); qw.attach(server)), ' +
            (typeof server === 'function' ? 'not the application itself' : `not ${typeof server}`),
        );
      }
      const mountPath = settings.mountPath ?? mountedAt;
      if (mountPath === null) {
        throw new EmbedError(
          "attach: mount the router first (app.use('/queues', qw.router)): the socket is " +
            'served under the same path. Mounted through an express.Router(), Express does not ' +
            'say where: give createQueuewatch the mountPath option',
        );
      }
      const socketPath = `${mountPath}${socketSegment}`;
      queuewatch.gateway.attach(server, socketPath);
      queuewatch.logger.info('Queuewatch serves its socket', { socketPath });
    },
    close: async () => {
      closed = true;
      await queuewatch.stop();
    },
  };
}

function shownPath(path: string): string {
  return path === '' ? '/' : path;
}

/** An HTTP server: an event emitter that listens, not a request handler (an Express app is both). */
function isServer(value: unknown): value is Server {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<Server>).listen === 'function' &&
    typeof (value as Partial<Server>).listeners === 'function'
  );
}
