import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { RedisServerProcess, freePort } from '../../src/demo/redis-server-process.js';
import type { TestCertificates } from './tls-certificates.js';
import { waitFor } from './wait-for.js';

/** A master, its replica and three Sentinels watching it, all on loopback. */
export interface SentinelSet {
  /** The name the Sentinels monitor the master by. */
  readonly name: string;
  /** `host:port,…` of the Sentinels, as REDIS_SENTINELS takes them. */
  readonly nodes: string;
  readonly sentinels: readonly { host: string; port: number }[];
  readonly masterPort: number;
  readonly replicaPort: number;
  /** SIGKILL the master, as a crash would. */
  killMaster(): Promise<void>;
  /** Wait until every Sentinel names the replica as master; resolves with when they all did. */
  failedOver(timeoutMs: number): Promise<number>;
  dispose(): Promise<void>;
}

const masterName = 'qw-master';

/**
 * Start a master and a replica (redis-server) and three Sentinels (`redis-server --sentinel`:
 * Debian's redis-sentinel is this same program) that see the master, the replica and each other;
 * a failover takes about 1 s to notice (down-after-milliseconds) and a few to finish. With `tls`,
 * every one of them serves TLS only (the certificates' server pair; clients need not present one)
 * and they reach each other over TLS.
 */
export async function launchSentinelSet(
  options: { readonly tls?: TestCertificates } = {},
): Promise<SentinelSet> {
  const certificates = options.tls;
  const tls =
    certificates === undefined
      ? undefined
      : {
          certFile: certificates.serverCertFile,
          keyFile: certificates.serverKeyFile,
          caFile: certificates.caFile,
          authClients: false,
        };
  const ca = certificates === undefined ? undefined : await readFile(certificates.caFile, 'utf8');
  const master = await RedisServerProcess.launch(tls ? { tls } : {});
  const replica = await RedisServerProcess.launch({
    replicaOf: master.port,
    ...(tls ? { tls } : {}),
  });
  const dir = await mkdtemp(join(tmpdir(), 'qw-sentinels-'));
  const children: ChildProcess[] = [];
  const ports: number[] = [];
  const ask = async <T>(port: number, ...args: string[]): Promise<T> => {
    const client = new Redis({
      port,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      ...(ca === undefined ? {} : { tls: { ca } }),
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return (await client.call(args[0] ?? '', ...args.slice(1))) as T;
    } finally {
      client.disconnect();
    }
  };
  for (let index = 0; index < 3; index += 1) {
    const port = await freePort();
    const file = join(dir, `sentinel-${String(index)}.conf`);
    await writeFile(
      file,
      [
        ...(tls
          ? [
              'port 0',
              `tls-port ${String(port)}`,
              `tls-cert-file ${tls.certFile}`,
              `tls-key-file ${tls.keyFile}`,
              `tls-ca-cert-file ${tls.caFile}`,
              'tls-auth-clients no',
              // The Sentinels reach the master and the replica over TLS.
              'tls-replication yes',
            ]
          : [`port ${String(port)}`]),
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor ${masterName} 127.0.0.1 ${String(master.port)} 2`,
        `sentinel down-after-milliseconds ${masterName} 1000`,
        `sentinel failover-timeout ${masterName} 10000`,
        `sentinel parallel-syncs ${masterName} 1`,
        '',
      ].join('\n'),
    );
    const child = spawn('redis-server', [file, '--sentinel'], { stdio: 'ignore' });
    children.push(child);
    ports.push(port);
  }
  const stopAll = async (): Promise<void> => {
    await Promise.all(
      children.map((child, index) =>
        atMost(`Sentinel ${String(ports[index])} (pid ${String(child.pid)})`, killed(child)),
      ),
    );
    await Promise.all([
      atMost(`the master (port ${String(master.port)})`, master.dispose()),
      atMost(`the replica (port ${String(replica.port)})`, replica.dispose()),
    ]);
    await atMost(`removing ${dir}`, rm(dir, { recursive: true, force: true }));
  };
  try {
    // The replica's first full copy (Redis waits 5 s for more replicas before sending it).
    await waitFor(
      'the replica to hold a full copy of the master',
      async () => {
        const info = await ask<string>(replica.port, 'INFO', 'replication');
        return info.includes('master_link_status:up');
      },
      (up) => up,
      30_000,
    );
    // Each Sentinel must know the replica and the two other Sentinels before a failover can run.
    for (const port of ports) {
      await waitFor(
        `Sentinel ${String(port)} to see the replica and the other Sentinels`,
        async () => {
          const fields = await ask<string[]>(port, 'SENTINEL', 'MASTER', masterName);
          const field = (name: string): string => fields[fields.indexOf(name) + 1] ?? '';
          return { replicas: field('num-slaves'), sentinels: field('num-other-sentinels') };
        },
        (seen) => seen.replicas === '1' && seen.sentinels === '2',
        30_000,
      );
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  return {
    name: masterName,
    nodes: ports.map((port) => `127.0.0.1:${String(port)}`).join(','),
    sentinels: ports.map((port) => ({ host: '127.0.0.1', port })),
    masterPort: master.port,
    replicaPort: replica.port,
    killMaster: () => master.stop(),
    failedOver: async (timeoutMs) => {
      for (const port of ports) {
        await waitFor(
          `Sentinel ${String(port)} to name the replica as master`,
          () =>
            ask<[string, string] | null>(port, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', masterName),
          (address) => address?.[1] === String(replica.port),
          timeoutMs,
        );
      }
      return performance.now();
    },
    dispose: stopAll,
  };
}

/** SIGKILL a child; resolves once it has exited. */
async function killed(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/**
 * Wait for one step of stopping the set, for at most 5 s. A step that takes longer is named on
 * stderr and not waited for: twice in full runs a suite's `after all` hook ran out of its 30 s
 * while stopping a TLS set, without saying which process it was waiting for.
 */
async function atMost(what: string, step: Promise<unknown>): Promise<void> {
  const limitMs = 5_000;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => {
      resolve('late');
    }, limitMs);
  });
  const outcome = await Promise.race([step.then(() => 'done' as const), late]);
  clearTimeout(timer);
  if (outcome === 'late') {
    process.stderr.write(
      `sentinel harness: ${what} had not stopped ${String(limitMs)} ms after being asked; going on\n`,
    );
  }
}
