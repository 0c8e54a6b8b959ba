import { Redis } from 'ioredis';
import { startChild, type Child, type IpcMessage } from './child.js';
import { LatencyHistogram } from './histogram.js';
import type { LatencySummary } from './stats.js';
import { chunk, expectedDeliveries, type Subscription } from './subscription-plan.js';
import { usageBetween, type UsageReply } from './usage-reporter.js';

/**
 * Which relay serves the clients. `queuewatch-batched` is the same Queuewatch server, its clients
 * opting in to batched delivery (`auth.delivery: 'batch'`): one `events` packet per tick.
 */
export type Relay = 'queuewatch' | 'queuewatch-batched' | 'floor' | 'naive-relay';

const relayProcess: Record<Relay, string> = {
  queuewatch: 'queuewatch-server',
  'queuewatch-batched': 'queuewatch-server',
  floor: 'floor-relay',
  'naive-relay': 'naive-relay',
};

/** A relay, the worker that loads it and the clients that listen, for one or more steps. */
export interface SessionOptions {
  readonly redisUrl: string;
  readonly relay: Relay;
  readonly plan: readonly Subscription[];
  /** Jobs running at once in each step. */
  readonly jobs: number;
  readonly queueName: string;
  /** Node flags of the relay's process (`--cpu-prof …`). */
  readonly serverNodeArgs?: readonly string[];
  /** Written into the emptied Redis before anything starts (idle queues, for instance). */
  readonly seed?: (admin: Redis) => Promise<void>;
  /** The relay finds its queues by itself rather than being told `queueName` alone. */
  readonly discover?: boolean;
}

/** What one step measured. */
export interface StepResult {
  /** The rate asked for, and the rate the worker achieved while sending. */
  readonly eventsPerSecond: number;
  readonly sentPerSecond: number;
  readonly durationMs: number;
  /** updateProgress() in the worker → job-progress at the client. */
  readonly latencyMs: LatencySummary;
  readonly progressSent: number;
  readonly progressExpected: number;
  readonly progressDelivered: number;
  readonly deliveriesPerSecond: number;
  /** Socket.IO packets the clients received per second: one per event, or one per batch. */
  readonly packetsPerSecond: number;
  readonly completionsExpected: number;
  readonly completionsLost: number;
  /** How far behind its schedule the worker sent its latest report, ms. */
  readonly workerMaxLateMs: number;
  readonly server: {
    readonly cpuPercent: number;
    readonly loopPercent: number;
    /** Share of the step the server spent in GC pauses. */
    readonly gcPercent: number;
    readonly rssBytes: number;
  };
  /** CPU of all client processes together, % of one core. */
  readonly clientsCpuPercent: number;
  /** Clients the relay disconnected so far. */
  readonly disconnects: number;
}

/** Clients per client process: two processes for 1,000 clients on a 2-core machine. */
const clientsPerProcess = 500;
/** After the worker is done, how long stragglers may take to arrive. */
const drainMs = 5_000;

export class RelaySession {
  private constructor(
    private readonly options: SessionOptions,
    private readonly server: Child,
    private readonly worker: Child,
    private readonly pools: readonly Child[],
    /** Server usage before and after the clients connected. */
    readonly idle: { readonly beforeClients: UsageReply; readonly withClients: UsageReply },
    /** The relay's HTTP address. */
    readonly url: string,
    /**
     * From the relay's spawn: when it said it was listening, ms; the spawn's own time; and how
     * long every client took to connect and subscribe, all at once (the connect storm), ms.
     */
    readonly started: {
      readonly listeningMs: number;
      readonly spawnedAt: number;
      readonly connectMs: number;
    },
  ) {}

  /** Empty Redis, start everything, connect and subscribe every client. */
  static async open(options: SessionOptions): Promise<RelaySession> {
    const admin = new Redis(options.redisUrl);
    await admin.flushall();
    await options.seed?.(admin);
    admin.disconnect();
    const env = { REDIS_URL: options.redisUrl, QUEUEWATCH_QUEUES: options.queueName };
    const serverEnv = options.discover === true ? { REDIS_URL: options.redisUrl } : env;
    const spawnedAt = performance.now();
    const server = startChild(
      relayProcess[options.relay],
      serverEnv,
      /listening (http:\/\/\S+)\n/,
      { ipc: true, nodeArgs: options.serverNodeArgs ?? [] },
    );
    let listeningMs = Number.NaN;
    void server.ready.then(() => (listeningMs = performance.now() - spawnedAt));
    const worker = startChild(
      'progress-worker',
      { ...env, BENCH_QUEUE: options.queueName },
      /ready\n/,
      {
        ipc: true,
      },
    );
    const plans = chunk(options.plan, clientsPerProcess);
    const pools = plans.map(() => startChild('client-pool', {}, /ready\n/, { ipc: true }));
    const children = [server, worker, ...pools];
    try {
      const [match] = await Promise.all([
        server.ready,
        worker.ready,
        ...pools.map((pool) => pool.ready),
      ]);
      const url = match[1] ?? '';
      const usage = (): Promise<UsageReply> =>
        server.ask<UsageReply & IpcMessage>({ type: 'usage' }, 'usage');
      const beforeClients = await usage();
      const connectingAt = performance.now();
      const connected = await Promise.all(
        pools.map((pool, index) =>
          pool.ask<{ type: 'connected'; sockets: number; failed: number }>(
            {
              type: 'connect',
              url,
              plan: plans[index] ?? [],
              delivery: options.relay === 'queuewatch-batched' ? 'batch' : 'event',
            },
            'connected',
            180_000,
          ),
        ),
      );
      const connectMs = performance.now() - connectingAt;
      const failed = connected.reduce((sum, reply) => sum + reply.failed, 0);
      if (failed > 0) throw new Error(`${String(failed)} clients could not connect and subscribe`);
      return new RelaySession(
        options,
        server,
        worker,
        pools,
        { beforeClients, withClients: await usage() },
        url,
        { listeningMs, spawnedAt, connectMs },
      );
    } catch (error) {
      await Promise.all(children.map((child) => child.stop()));
      throw error;
    }
  }

  /** Run every job at `eventsPerSecond` (all jobs together) for about `durationMs`. */
  async step(eventsPerSecond: number, durationMs: number): Promise<StepResult> {
    const { jobs, plan } = this.options;
    const intervalMs = (jobs * 1000) / eventsPerSecond;
    const steps = Math.max(1, Math.round(durationMs / intervalMs));
    const expected = expectedDeliveries(plan, jobs, steps);
    const before = await this.usage();
    const clientsBefore = await this.poolCounts();
    const ran = await this.worker.ask<{
      type: 'ran';
      progressSent: number;
      firstSentAt: number;
      lastSentAt: number;
      maxLateMs: number;
    }>({ type: 'run', jobs, intervalMs, steps }, 'ran', durationMs * 3 + 60_000);
    await this.waitForCompletions(expected.completions);
    const after = await this.usage();
    const collected = await Promise.all(
      this.pools.map((pool) =>
        pool.ask<{
          type: 'collected';
          histogram: [number, number][];
          progress: number;
          packets: number;
          completions: number;
          disconnects: number;
          cpuMs: number;
          atMs: number;
        }>({ type: 'collect' }, 'collected'),
      ),
    );
    const histogram = new LatencyHistogram();
    for (const reply of collected) histogram.merge(reply.histogram);
    const sum = (pick: (reply: (typeof collected)[number]) => number): number =>
      collected.reduce((total, reply) => total + pick(reply), 0);
    // Jobs are spread over one interval: the last report comes one interval / jobs before the
    // end of the window the rate is counted over.
    const sendingMs = Math.max(1, ran.lastSentAt - ran.firstSentAt + intervalMs / jobs);
    const delivered = sum((reply) => reply.progress);
    return {
      eventsPerSecond,
      sentPerSecond: Math.round((ran.progressSent * 1000) / sendingMs),
      durationMs: Math.round(sendingMs),
      latencyMs: histogram.summary(),
      progressSent: ran.progressSent,
      progressExpected: expected.progress,
      progressDelivered: delivered,
      deliveriesPerSecond: Math.round((delivered * 1000) / sendingMs),
      packetsPerSecond: Math.round((sum((reply) => reply.packets) * 1000) / sendingMs),
      completionsExpected: expected.completions,
      completionsLost: expected.completions - sum((reply) => reply.completions),
      workerMaxLateMs: Math.round(ran.maxLateMs * 10) / 10,
      server: { ...usageBetween(before, after), rssBytes: after.rssBytes },
      clientsCpuPercent:
        Math.round(
          collected.reduce((total, reply, index) => {
            const start = clientsBefore[index];
            if (!start) return total;
            return total + (reply.cpuMs - start.cpuMs) / Math.max(1, reply.atMs - start.atMs);
          }, 0) * 1000,
        ) / 10,
      disconnects: sum((reply) => reply.disconnects),
    };
  }

  /**
   * A short step whose figures are thrown away: the first events through a fresh process run
   * cold code (JIT) and would otherwise land in the tail of the first measured step.
   */
  async warmUp(eventsPerSecond: number, durationMs: number): Promise<void> {
    await this.step(eventsPerSecond, durationMs);
  }

  /** The relay's own view of itself (CPU, memory). */
  usage(gc = false): Promise<UsageReply> {
    return this.server.ask<UsageReply & IpcMessage>({ type: 'usage', gc }, 'usage');
  }

  /** Stop the clients, the worker and the relay (which writes its CPU profile, if any). */
  async close(): Promise<void> {
    await Promise.all(this.pools.map((pool) => pool.stop()));
    await Promise.all([this.worker.stop(), this.server.stop()]);
  }

  private poolCounts(): Promise<{ completions: number; cpuMs: number; atMs: number }[]> {
    return Promise.all(
      this.pools.map((pool) =>
        pool.ask<{ type: 'counts'; completions: number; cpuMs: number; atMs: number }>(
          { type: 'counts' },
          'counts',
        ),
      ),
    );
  }

  private async waitForCompletions(expected: number): Promise<void> {
    const deadline = performance.now() + drainMs;
    while (performance.now() < deadline) {
      const counts = await this.poolCounts();
      if (counts.reduce((sum, reply) => sum + reply.completions, 0) >= expected) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
