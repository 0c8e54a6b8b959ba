import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How to get redis-server when it is missing. */
export const redisInstallHint =
  'redis-server is not installed: install it (Debian/Ubuntu: apt-get install -y redis-server; macOS: brew install redis)';

/** How a private redis-server keeps its data. */
export interface RedisServerOptions {
  /**
   * `none` (the default): nothing on disk, so a restart comes back empty. `append-only`: every
   * write is in the append-only file before Redis answers (`appendfsync always`), so a restart,
   * even after SIGKILL, comes back with everything.
   */
  readonly persistence?: 'none' | 'append-only';
  /** A replica of the Redis on this loopback port. */
  readonly replicaOf?: number;
  /** Serve TLS only (no plain port), with these PEM files; `rediss://` in `url`. */
  readonly tls?: {
    readonly certFile: string;
    readonly keyFile: string;
    readonly caFile: string;
    /** Refuse a client without a certificate signed by the CA. */
    readonly authClients: boolean;
  };
}

/**
 * A private `redis-server` on a free loopback port, with nothing kept on disk unless asked. Used
 * by the test harness and by `npm run demo`. `stop()` and `start()` may be called again to
 * simulate an outage: the port and the folder stay the same.
 */
export class RedisServerProcess {
  private child: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly options: RedisServerOptions,
  ) {}

  /** Start one on a free port. */
  static async launch(options: RedisServerOptions = {}): Promise<RedisServerProcess> {
    const server = new RedisServerProcess(
      await freePort(),
      await mkdtemp(join(tmpdir(), 'qw-redis-')),
      options,
    );
    await server.start();
    return server;
  }

  get url(): string {
    return `${this.options.tls ? 'rediss' : 'redis'}://127.0.0.1:${String(this.port)}`;
  }

  /** Start (again) on the same port; resolves once Redis accepts connections. */
  async start(): Promise<void> {
    if (this.child) return;
    const child = spawn(
      'redis-server',
      [
        ...(this.options.tls
          ? tlsArguments(this.port, this.options.tls)
          : ['--port', String(this.port)]),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        ...(this.options.persistence === 'append-only'
          ? ['--appendonly', 'yes', '--appendfsync', 'always']
          : ['--appendonly', 'no']),
        '--dir',
        this.dir,
        ...(this.options.replicaOf === undefined
          ? []
          : ['--replicaof', '127.0.0.1', String(this.options.replicaOf)]),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(
          new Error(
            `redis-server did not start on port ${String(this.port)} within 10 s:\n${output}`,
          ),
        );
      }, 10_000);
      child.once('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        this.child = undefined;
        reject(error.code === 'ENOENT' ? new Error(redisInstallHint) : error);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        this.child = undefined;
        reject(
          new Error(`redis-server exited with ${String(code)} before it was ready:\n${output}`),
        );
      });
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          child.removeAllListeners('exit');
          resolve();
        }
      });
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    });
  }

  /** Stop it (as a crash would: SIGKILL, nothing saved); resolves once the process is gone. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** Stop it and remove its working folder. */
  async dispose(): Promise<void> {
    await this.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port was assigned');
  return address.port;
}

/** The arguments of a redis-server that serves TLS only on `port`, replication included. */
export function tlsArguments(port: number, tls: NonNullable<RedisServerOptions['tls']>): string[] {
  return [
    '--port',
    '0',
    '--tls-port',
    String(port),
    '--tls-cert-file',
    tls.certFile,
    '--tls-key-file',
    tls.keyFile,
    '--tls-ca-cert-file',
    tls.caFile,
    '--tls-auth-clients',
    tls.authClients ? 'yes' : 'no',
    // A replica reaches its master over TLS too (its certificate as the client's).
    '--tls-replication',
    'yes',
  ];
}
