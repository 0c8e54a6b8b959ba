import {
  RedisServerProcess,
  type RedisServerOptions,
} from '../../src/demo/redis-server-process.js';

/**
 * Start a private redis-server on a free port for the enclosing `describe`, and stop it after.
 * Never a mock and never skipped: a missing redis-server fails the suite with how to install it.
 */
export function useRedisServer(options: RedisServerOptions = {}): () => RedisServerProcess {
  let server: RedisServerProcess | undefined;
  before(async function () {
    this.timeout(20_000);
    server = await RedisServerProcess.launch(options);
  });
  after(async () => {
    await server?.dispose();
  });
  return () => {
    if (!server) throw new Error('the harness redis-server is not running');
    return server;
  };
}
