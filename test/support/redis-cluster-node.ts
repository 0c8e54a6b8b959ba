import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, redisInstallHint, tlsArguments } from '../../src/demo/redis-server-process.js';

/** The cluster bus port Redis derives from a node's port. */
const busOffset = 10_000;

/** One redis-server of the cluster. */
export interface RedisClusterNode {
  /** Its loopback port (127.0.0.1), for clients. */
  readonly port: number;
  /** Its cluster bus port (port + 10000), where the nodes talk to each other. */
  readonly busPort: number;
  /** Its working folder, holding nodes.conf. */
  readonly dir: string;
  /** False once it was killed. */
  readonly running: boolean;
}

/** PEM files for nodes that serve TLS only, to clients and to each other. */
export interface ClusterNodeTls {
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
}

/** A redis-server in cluster mode, in its own folder. */
export class ClusterNodeProcess implements RedisClusterNode {
  /** The end of what it printed, for error messages. */
  private output = '';
  private exited = false;

  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly child: ChildProcess,
  ) {
    child.once('exit', () => (this.exited = true));
    const keep = (chunk: Buffer): void => {
      this.output = (this.output + chunk.toString()).slice(-8_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  get busPort(): number {
    return this.port + busOffset;
  }

  get running(): boolean {
    return !this.exited && this.child.pid !== undefined;
  }

  /**
   * Start one on a port that, with its bus port, is free and not in `taken`; resolves once it
   * accepts connections. A port taken by someone else meanwhile is replaced by another.
   */
  static async start(
    taken: ReadonlySet<number>,
    tls?: ClusterNodeTls,
  ): Promise<ClusterNodeProcess> {
    for (let attempt = 1; ; attempt += 1) {
      const port = await freePortWithBus(taken);
      const dir = await mkdtemp(join(tmpdir(), 'qw-redis-cluster-'));
      const node = new ClusterNodeProcess(port, dir, spawnNode(port, dir, tls));
      try {
        await node.ready();
        return node;
      } catch (error) {
        await node.dispose();
        const portTaken =
          error instanceof Error && error.message.includes('Address already in use');
        if (!portTaken || attempt === 5) throw error;
      }
    }
  }

  /** SIGKILL it; resolves once the process is gone. */
  async kill(): Promise<void> {
    // No pid: it never started (redis-server missing), so there is no exit to wait for.
    if (!this.running) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGKILL');
    await exited;
  }

  /** Kill it and remove its folder. */
  async dispose(): Promise<void> {
    await this.kill();
    await rm(this.dir, { recursive: true, force: true });
  }

  private async ready(): Promise<void> {
    const child = this.child;
    await new Promise<void>((resolve, reject) => {
      const done = (error?: Error): void => {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.off('exit', onExit);
        child.off('error', onError);
        if (error) reject(error);
        else resolve();
      };
      const timer = setTimeout(() => {
        done(
          new Error(`redis-server did not start on port ${this.port} within 10 s:\n${this.output}`),
        );
      }, 10_000);
      const onData = (): void => {
        if (this.output.includes('Ready to accept connections')) done();
      };
      const onExit = (code: number | null): void => {
        // Let the last output arrive before quoting it.
        setImmediate(() => {
          done(
            new Error(
              `redis-server exited with ${String(code)} before it was ready:\n${this.output}`,
            ),
          );
        });
      };
      const onError = (error: NodeJS.ErrnoException): void => {
        done(error.code === 'ENOENT' ? new Error(redisInstallHint) : error);
      };
      child.stdout?.on('data', onData);
      child.once('exit', onExit);
      child.once('error', onError);
    });
  }
}

/**
 * With `tls`, the node serves TLS only on `port` (its plain port closed), its cluster bus and
 * replication are TLS too (the bus on `port` + 10000 still), and clients need no certificate.
 */
function spawnNode(port: number, dir: string, tls: ClusterNodeTls | undefined): ChildProcess {
  const listen = tls
    ? [...tlsArguments(port, { ...tls, authClients: false }), '--tls-cluster', 'yes']
    : ['--port', String(port)];
  return spawn(
    'redis-server',
    [
      ...listen,
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
      '--cluster-enabled',
      'yes',
      '--cluster-config-file',
      join(dir, 'nodes.conf'),
      '--cluster-node-timeout',
      '1000',
      // A replica may take over however long ago it last heard from its master.
      '--cluster-replica-validity-factor',
      '0',
      // A replica's first full copy is sent at once, not after 5 s of waiting for more replicas.
      '--repl-diskless-sync-delay',
      '0',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

/**
 * A loopback port that was free a moment ago, whose bus port (port + 10000) is free too and
 * neither of which is in `taken`.
 */
async function freePortWithBus(taken: ReadonlySet<number>): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const port = await freePort();
    const busPort = port + busOffset;
    if (busPort > 65_535 || taken.has(port) || taken.has(busPort)) continue;
    if (await isFree(busPort)) return port;
  }
  throw new Error('found no free loopback port whose cluster bus port (+10000) is free too');
}

async function isFree(port: number): Promise<boolean> {
  const server = createServer();
  const listening = await new Promise<boolean>((resolve) => {
    server.once('error', () => {
      resolve(false);
    });
    server.listen(port, '127.0.0.1', () => {
      resolve(true);
    });
  });
  if (listening) await new Promise((resolve) => server.close(resolve));
  return listening;
}
