import { Queue, Worker, type Processor } from 'bullmq';
import type { ProgressHandshakeAuth } from '../../src/application/contract/socket-events.js';
import { loadConfig } from '../../src/bootstrap/config/load-config.js';
import { startQueuewatch, type RunningQueuewatch } from '../../src/bootstrap/queuewatch.js';
import type { RedisServerProcess } from '../../src/demo/redis-server-process.js';
import { RecordingLogger } from './recording-logger.js';
import { RecordingClient } from './socket-clients.js';

/**
 * For a suite: Queuewatch started in this process on the harness's Redis, queues with a worker,
 * and socket clients, each closed after the test that made it (last made, first closed).
 * `defaults` are environment variables every `start` gets (a test's own come on top).
 */
export function useInProcessQueuewatch(
  redis: () => RedisServerProcess,
  defaults: Record<string, string>,
): {
  /** More things to close after the test. */
  readonly closers: (() => unknown)[];
  readonly start: (env?: Record<string, string>) => Promise<RunningQueuewatch>;
  readonly queue: <T>(name: string, work: Processor<T>) => Queue<T>;
  readonly client: (
    app: RunningQueuewatch,
    auth?: ProgressHandshakeAuth,
  ) => Promise<RecordingClient>;
} {
  const closers: (() => unknown)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  return {
    closers,
    start: async (env = {}) => {
      const app = await startQueuewatch(
        await loadConfig({ REDIS_URL: redis().url, PORT: '0', ...defaults, ...env }),
        { logger: new RecordingLogger() },
      );
      closers.push(() => app.stop());
      return app;
    },
    queue: <T>(name: string, work: Processor<T>) => {
      const created = new Queue<T>(name, { connection: { url: redis().url } });
      const worker = new Worker<T>(name, work, {
        connection: { url: redis().url },
        concurrency: 4,
      });
      // Forced: a graceful close hangs while BullMQ is still reconnecting after a Redis restart.
      closers.push(
        () => created.close(),
        () => worker.close(true),
      );
      return created;
    },
    client: async (app, auth) => {
      const connected = await RecordingClient.connect(app.url, auth);
      closers.push(() => {
        connected.close();
      });
      return connected;
    },
  };
}
