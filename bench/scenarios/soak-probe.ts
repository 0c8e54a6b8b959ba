import type { Redis } from 'ioredis';
import type { HealthReportBody } from '../../src/application/contract/health.js';
import type { Child, IpcMessage } from '../lib/child.js';
import { machineBusyTicks } from '../lib/machine.js';
import type { UsageReply } from '../lib/usage-reporter.js';

/** The load process's counters (bench/processes/soak-load.ts), all since it started. */
export interface LoadStats {
  readonly added: number;
  readonly completed: number;
  readonly failedAttempts: number;
  readonly finalFailures: number;
  readonly stalled: number;
  readonly errors: number;
  readonly cpuMs: number;
  readonly atMs: number;
}

/** One client process's counts (bench/processes/event-counting-clients.ts). */
export interface PoolCounts {
  /** Per client. */
  readonly completed: readonly number[];
  readonly failed: readonly number[];
  /** Clients that have seen the sentinel job complete. */
  readonly sawSentinel: number;
  readonly disconnects: number;
  readonly cpuMs: number;
  readonly atMs: number;
}

/** Everything read at one moment; counters are cumulative, so any two samples give a rate. */
export interface SoakSample {
  /** Seconds since the load started (negative before). */
  readonly atS: number;
  /** Queuewatch's own reading; `collected` when a full GC ran just before it. */
  readonly server: UsageReply;
  readonly load: LoadStats;
  /** CPU of every client process together, ms, and the bench's clock when read. */
  readonly clientsCpuMs: number;
  /** The bench process's own CPU, ms, and its clock when read. */
  readonly benchCpuMs: number;
  readonly benchAtMs: number;
  readonly redis: { readonly cpuSeconds: number; readonly usedMemoryBytes: number };
  /** The machine's busy clock ticks since boot (`null` off Linux). */
  readonly machineTicks: number | null;
  /** Issue codes of `GET /api/v1/health/queues` at that moment (a dashboard's view). */
  readonly healthIssues: readonly string[];
}

/** Reads Queuewatch, the load, the clients, Redis and the machine for the soak. */
export class SoakProbe {
  constructor(
    private readonly server: Child,
    private readonly load: Child,
    private readonly pools: readonly Child[],
    private readonly admin: Redis,
    private readonly url: string,
  ) {}

  /** When the load started (performance.now()); samples are timed from here. */
  private loadStartedAt = performance.now();

  /** The load starts now: later samples count their time from here. */
  markLoadStart(): number {
    this.loadStartedAt = performance.now();
    return this.loadStartedAt;
  }

  async sample(gc: boolean): Promise<SoakSample> {
    const [server, load, pools, redis, healthIssues] = await Promise.all([
      this.server.ask<UsageReply & IpcMessage>({ type: 'usage', gc }, 'usage'),
      this.loadStats(),
      this.poolCounts(),
      this.redisUsage(),
      this.healthIssues(),
    ]);
    const bench = process.cpuUsage();
    return {
      atS: Math.round((performance.now() - this.loadStartedAt) / 100) / 10,
      server,
      load,
      clientsCpuMs: pools.reduce((sum, pool) => sum + pool.cpuMs, 0),
      benchCpuMs: (bench.user + bench.system) / 1000,
      benchAtMs: performance.now(),
      redis,
      machineTicks: machineBusyTicks(),
      healthIssues,
    };
  }

  loadStats(): Promise<LoadStats> {
    return this.load.ask<LoadStats & IpcMessage>({ type: 'stats' }, 'stats');
  }

  poolCounts(): Promise<PoolCounts[]> {
    return Promise.all(
      this.pools.map((pool) =>
        pool.ask<PoolCounts & IpcMessage>({ type: 'counts' }, 'counts', 60_000),
      ),
    );
  }

  private async redisUsage(): Promise<SoakSample['redis']> {
    const [cpu, memory] = await Promise.all([this.admin.info('cpu'), this.admin.info('memory')]);
    const field = (text: string, name: string): number =>
      Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(text)?.[1] ?? Number.NaN);
    return {
      cpuSeconds: field(cpu, 'used_cpu_sys') + field(cpu, 'used_cpu_user'),
      usedMemoryBytes: field(memory, 'used_memory'),
    };
  }

  private async healthIssues(): Promise<string[]> {
    try {
      const response = await fetch(`${this.url}/api/v1/health/queues`, {
        signal: AbortSignal.timeout(5_000),
      });
      const body = (await response.json()) as Partial<HealthReportBody>;
      const issues = [...(body.issues ?? []), ...(body.queues ?? []).flatMap((q) => q.issues)];
      return [...new Set(issues.map((issue) => issue.code))].sort();
    } catch (error) {
      return [`health read failed: ${error instanceof Error ? error.message : String(error)}`];
    }
  }
}
