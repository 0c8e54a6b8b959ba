import { PerformanceObserver } from 'node:perf_hooks';
import { isMessage } from './child.js';

/** What a server child says about itself when the bench asks (`{ type: 'usage' }`). */
export interface UsageReply {
  readonly type: 'usage';
  /** process.cpuUsage() user + system since the process started, ms. */
  readonly cpuMs: number;
  /** performance.now() in the child when measured, ms (the clock CPU time is compared to). */
  readonly atMs: number;
  /** Time the event loop was busy since the process started, ms (eventLoopUtilization). */
  readonly loopActiveMs: number;
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  /** Time spent in garbage-collection pauses since reporting started, ms. */
  readonly gcMs: number;
  /** Whether a full GC ran just before (the child must run with --expose-gc). */
  readonly collected: boolean;
}

/**
 * Answer the bench's usage requests over IPC. The server measures itself because only it can
 * call process.cpuUsage() and gc() on itself; `{ gc: true }` asks for a full collection first,
 * so heapUsed is the live heap (not garbage waiting for the next GC).
 */
export function reportUsageOverIpc(): void {
  // GC pauses stop the event loop: they are what a latency tail is often made of.
  let gcMs = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  }).observe({ entryTypes: ['gc'] });
  process.on('message', (message: unknown) => {
    if (!isMessage(message) || message.type !== 'usage') return;
    let collected = false;
    const gc = globalThis.gc;
    if (message.gc === true && gc) {
      // Twice: objects freed by the first pass's finalizers (sockets, buffers) go in the second.
      gc();
      gc();
      collected = true;
    }
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    const reply: UsageReply = {
      type: 'usage',
      cpuMs: (cpu.user + cpu.system) / 1000,
      atMs: performance.now(),
      loopActiveMs: performance.eventLoopUtilization().active,
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      gcMs,
      collected,
    };
    process.send?.(reply);
  });
}

/** CPU, event-loop and GC time between two replies, in % of one core / of wall time. */
export function usageBetween(
  before: UsageReply,
  after: UsageReply,
): { cpuPercent: number; loopPercent: number; gcPercent: number } {
  const wall = Math.max(1, after.atMs - before.atMs);
  const percent = (ms: number): number => Math.round((ms / wall) * 1000) / 10;
  return {
    cpuPercent: percent(after.cpuMs - before.cpuMs),
    loopPercent: percent(after.loopActiveMs - before.loopActiveMs),
    gcPercent: percent(after.gcMs - before.gcMs),
  };
}
