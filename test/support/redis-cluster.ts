import { execFile } from 'node:child_process';
import {
  isFailing,
  parseClusterNodes,
  parseInfo,
  withAdmin,
  type Ask,
} from './redis-cluster-admin.js';
import { readFile } from 'node:fs/promises';
import {
  ClusterNodeProcess,
  type ClusterNodeTls,
  type RedisClusterNode,
} from './redis-cluster-node.js';
import { waitFor } from './wait-for.js';

export type { ClusterNodeTls, RedisClusterNode } from './redis-cluster-node.js';

/** What `killMaster` saw. */
export interface Failover {
  /** The port of the replica that took over the killed master's slots. */
  readonly promotedPort: number;
  /** From the SIGKILL until every surviving node says `cluster_state:ok` with that replica master. */
  readonly failoverMs: number;
}

/** How to get redis-cli when it is missing (Debian's redis-server package brings it). */
const redisCliInstallHint =
  'redis-cli is not installed: install it (Debian/Ubuntu: apt-get install -y redis-tools; macOS: brew install redis)';
/** How long to wait for the cluster to form, and for a failover. */
const formTimeoutMs = 30_000;
const failoverTimeoutMs = 30_000;

/**
 * A Redis Cluster of three masters and three replicas: six real `redis-server` processes on free
 * loopback ports, joined by `redis-cli --cluster create`. A node's failure is noticed after 1 s
 * (`cluster-node-timeout`) and a replica takes over whatever it had replicated, however long it
 * was disconnected (`cluster-replica-validity-factor 0`). Nothing is kept on disk but nodes.conf.
 * With `tls`, every node serves TLS only, and the cluster bus and replication are TLS too.
 */
export class RedisCluster {
  private constructor(
    private readonly processes: readonly ClusterNodeProcess[],
    /** How long `launch` took, from the first spawn to a healthy cluster. */
    readonly launchMs: number,
    /** The CA the nodes' certificates are signed by, when they serve TLS only. */
    private readonly tls: { readonly ca: string } | undefined,
  ) {}

  /**
   * Start six nodes, make three of them masters (all 16384 slots shared between them) and three
   * their replicas; resolves once every node says `cluster_state:ok`, knows the same three masters
   * and three replicas, and every replica's link to its master is up (its full copy is made).
   */
  static async launch(options: { readonly tls?: ClusterNodeTls } = {}): Promise<RedisCluster> {
    const startedAt = performance.now();
    const processes: ClusterNodeProcess[] = [];
    const tls = options.tls ? { ca: await readFile(options.tls.caFile, 'utf8') } : undefined;
    try {
      const taken = new Set<number>();
      for (let index = 0; index < 6; index += 1) {
        const node = await ClusterNodeProcess.start(taken, options.tls);
        taken.add(node.port).add(node.busPort);
        processes.push(node);
      }
      await createCluster(
        processes.map((node) => node.port),
        options.tls,
      );
      await waitUntilFormed(
        processes.map((node) => node.port),
        tls,
      );
    } catch (error) {
      await Promise.all(processes.map((node) => node.dispose()));
      throw error;
    }
    return new RedisCluster(processes, performance.now() - startedAt, tls);
  }

  get nodes(): readonly RedisClusterNode[] {
    return this.processes;
  }

  /**
   * `127.0.0.1:port,…` of every node, killed ones included (a client tries the next seed), as
   * a cluster client takes its seeds.
   */
  get seeds(): string {
    return this.processes.map((node) => `127.0.0.1:${node.port}`).join(',');
  }

  /** The port of the master that serves `key`'s hash slot, as a running node sees it. */
  async masterOf(key: string): Promise<number> {
    return withAdmin(async (ask) => {
      const port = this.runningPorts()[0];
      if (port === undefined) throw new Error('no node of the cluster is running');
      const slot = await ask<number>(port, 'CLUSTER', 'KEYSLOT', key);
      const ranges = await ask<[number, number, [string, number, ...unknown[]]][]>(
        port,
        'CLUSTER',
        'SLOTS',
      );
      const range = ranges.find(([first, last]) => first <= slot && slot <= last);
      if (!range) throw new Error(`no master serves slot ${slot} (key ${key})`);
      return range[2][1];
    }, this.tls);
  }

  /**
   * SIGKILL the master on `port`, as a crash would, and wait until one of its replicas is master
   * and every surviving node says `cluster_state:ok`. Fails if `port` is not a running master
   * with a replica.
   */
  async killMaster(port: number): Promise<Failover> {
    const node = this.processes.find((candidate) => candidate.port === port);
    if (!node?.running) throw new Error(`no running node of the cluster is on port ${port}`);
    const survivors = this.runningPorts().filter((candidate) => candidate !== port);
    return withAdmin(async (ask) => {
      const view = parseClusterNodes(await ask<string>(port, 'CLUSTER', 'NODES'));
      const master = view.find((entry) => entry.port === port);
      if (!master?.flags.includes('master')) throw new Error(`the node on ${port} is no master`);
      const replicas = view
        .filter((entry) => entry.flags.includes('slave') && entry.masterId === master.id)
        .map((entry) => entry.port);
      if (replicas.length === 0) throw new Error(`the master on ${port} has no replica`);

      const killedAt = performance.now();
      await node.kill();
      const promotedPort = await waitFor(
        `a replica of the master on ${port} (${replicas.join(', ')}) to take over`,
        () => promotedReplica(ask, survivors, replicas),
        (promoted) => promoted !== undefined,
        failoverTimeoutMs,
      );
      return { promotedPort: promotedPort!, failoverMs: performance.now() - killedAt };
    }, this.tls);
  }

  /**
   * Reshard: move `key`'s hash slot, with every key in it, from its master to another running
   * master (the first one that is not its owner), the way `redis-cli --cluster reshard` moves a
   * slot: IMPORTING on the target, MIGRATING on the source, MIGRATE of the keys in batches, then
   * every master told the slot's new owner. Resolves with the new owner's port and the slot.
   */
  async moveSlotOf(key: string): Promise<{ slot: number; toPort: number; keys: number }> {
    const fromPort = await this.masterOf(key);
    return withAdmin(async (ask) => {
      const view = parseClusterNodes(await ask<string>(fromPort, 'CLUSTER', 'NODES'));
      const masters = view.filter(
        (entry) => entry.flags.includes('master') && !entry.flags.some((f) => f.startsWith('fail')),
      );
      const source = masters.find((entry) => entry.port === fromPort);
      const target = masters.find((entry) => entry.port !== fromPort);
      if (!source || !target) throw new Error(`no master to move the slot of ${key} to`);
      const slot = await ask<number>(fromPort, 'CLUSTER', 'KEYSLOT', key);
      const id = String(slot);
      await ask(target.port, 'CLUSTER', 'SETSLOT', id, 'IMPORTING', source.id);
      await ask(fromPort, 'CLUSTER', 'SETSLOT', id, 'MIGRATING', target.id);
      let moved = 0;
      for (;;) {
        const keys = await ask<string[]>(fromPort, 'CLUSTER', 'GETKEYSINSLOT', id, '100');
        if (keys.length === 0) break;
        await ask(
          fromPort,
          'MIGRATE',
          '127.0.0.1',
          String(target.port),
          '',
          '0',
          '5000',
          'KEYS',
          ...keys,
        );
        moved += keys.length;
      }
      // The new owner first, then the old one, then the rest.
      const others = masters.filter((entry) => entry !== target && entry !== source);
      for (const master of [target, source, ...others]) {
        await ask(master.port, 'CLUSTER', 'SETSLOT', id, 'NODE', target.id);
      }
      return { slot, toPort: target.port, keys: moved };
    }, this.tls);
  }

  /** Kill every node and remove their folders. */
  async dispose(): Promise<void> {
    await Promise.all(this.processes.map((node) => node.dispose()));
  }

  private runningPorts(): number[] {
    return this.processes.filter((node) => node.running).map((node) => node.port);
  }
}

/**
 * Start a Redis Cluster (six real redis-server processes) for the enclosing `describe`, and kill
 * it after. Never a mock and never skipped: a missing redis-server fails the suite with how to
 * install it.
 */
export function useRedisCluster(tls?: () => ClusterNodeTls): () => RedisCluster {
  let cluster: RedisCluster | undefined;
  before(async function () {
    this.timeout(60_000);
    cluster = await RedisCluster.launch(tls ? { tls: tls() } : {});
  });
  after(async () => {
    await cluster?.dispose();
  });
  return () => {
    if (!cluster) throw new Error('the harness Redis Cluster is not running');
    return cluster;
  };
}

/** `redis-cli --cluster create`: the first three nodes masters, the others one replica each. */
async function createCluster(
  ports: readonly number[],
  tls: ClusterNodeTls | undefined,
): Promise<void> {
  const args = [
    ...(tls ? ['--tls', '--cacert', tls.caFile] : []),
    '--cluster',
    'create',
    ...ports.map((port) => `127.0.0.1:${port}`),
    '--cluster-replicas',
    '1',
    '--cluster-yes',
  ];
  await new Promise<void>((resolve, reject) => {
    execFile('redis-cli', args, { timeout: formTimeoutMs }, (error, stdout, stderr) => {
      if (!error) {
        resolve();
        return;
      }
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      reject(
        new Error(
          missing
            ? redisCliInstallHint
            : `redis-cli --cluster create failed (${error.message}):\n${stdout}${stderr}`,
        ),
      );
    });
  });
}

/**
 * Wait until every node says `cluster_state:ok` and knows the same three masters (with slots)
 * and three connected replicas, and every replica's link to its master is up.
 */
async function waitUntilFormed(
  ports: readonly number[],
  tls: { readonly ca: string } | undefined,
): Promise<void> {
  await withAdmin(async (ask) => {
    for (const port of ports) {
      await waitFor(
        `node ${port} to see a healthy cluster of three masters and three replicas`,
        async () => {
          const info = parseInfo(await ask<string>(port, 'CLUSTER', 'INFO'));
          const view = parseClusterNodes(await ask<string>(port, 'CLUSTER', 'NODES'));
          const masters = view.filter((entry) => entry.flags.includes('master'));
          const replicas = view.filter((entry) => entry.flags.includes('slave'));
          return {
            state: info.get('cluster_state'),
            masters: masters.filter((entry) => entry.slots.length > 0).length,
            replicas: replicas.filter((entry) => masters.some((m) => m.id === entry.masterId))
              .length,
            healthy: view.every((entry) => entry.linkState === 'connected' && !isFailing(entry)),
          };
        },
        (seen) => seen.state === 'ok' && seen.masters === 3 && seen.replicas === 3 && seen.healthy,
        formTimeoutMs,
      );
    }
    for (const port of ports) {
      const role = parseInfo(await ask<string>(port, 'INFO', 'replication')).get('role');
      if (role !== 'slave') continue;
      await waitFor(
        `replica ${port} to hold a full copy of its master`,
        async () => parseInfo(await ask<string>(port, 'INFO', 'replication')),
        (info) => info.get('master_link_status') === 'up',
        formTimeoutMs,
      );
    }
  }, tls);
}

/**
 * The replica among `replicas` that every survivor sees as a master holding slots, if every
 * survivor also says `cluster_state:ok`.
 */
async function promotedReplica(
  ask: Ask,
  survivors: readonly number[],
  replicas: readonly number[],
): Promise<number | undefined> {
  let candidates = replicas;
  for (const port of survivors) {
    const info = parseInfo(await ask<string>(port, 'CLUSTER', 'INFO'));
    if (info.get('cluster_state') !== 'ok') return undefined;
    const view = parseClusterNodes(await ask<string>(port, 'CLUSTER', 'NODES'));
    candidates = candidates.filter((replica) =>
      view.some(
        (entry) =>
          entry.port === replica &&
          entry.flags.includes('master') &&
          !isFailing(entry) &&
          entry.slots.length > 0,
      ),
    );
  }
  return candidates[0];
}
