import { request } from 'node:http';
import type { Redis } from 'ioredis';
import { startChild, type Child } from './child.js';
import { commandCounts, commandsBetween, totalCalls } from './command-stats.js';
import { summarize, type LatencySummary } from './stats.js';

/** One side of an interleaved measure: the URL of its `round`-th request. */
export interface Target {
  readonly label: string;
  readonly url: (round: number) => string;
}

/** Latencies of one target; `error` when it did not answer 200 (then nothing more was asked). */
export interface Measured {
  readonly label: string;
  readonly latencyMs: LatencySummary | null;
  readonly bodyBytes: number;
  readonly error: string | null;
}

/**
 * GET each target in turn, one request at a time (as one operator would), the order of the
 * targets swapped every round so neither always follows the other: `warmUp` rounds first, then
 * `rounds` rounds or `maxMs`, whichever comes first. Each target is timed by a reader process of
 * its own (bench/processes/http-reader.ts, one kept-alive connection): one server's large answers
 * and the garbage they leave never delay the timing of the other's. A target that answers
 * anything but 200 is dropped and says why.
 */
export async function interleave(
  targets: readonly Target[],
  limits: { readonly warmUp: number; readonly rounds: number; readonly maxMs: number },
): Promise<Measured[]> {
  const readers = new Map<string, Child>(
    targets.map((target) => [
      target.label,
      startChild('http-reader', {}, /ready\n/, { ipc: true }),
    ]),
  );
  try {
    await Promise.all([...readers.values()].map((reader) => reader.ready));
    const samples = new Map<string, number[]>(targets.map((target) => [target.label, []]));
    const bodyBytes = new Map<string, number>();
    const errors = new Map<string, string>();
    const deadline = performance.now() + limits.maxMs;
    for (let round = 0; round < limits.warmUp + limits.rounds; round += 1) {
      if (round >= limits.warmUp && performance.now() > deadline) break;
      const order = round % 2 === 0 ? targets : [...targets].reverse();
      for (const target of order) {
        const reader = readers.get(target.label);
        if (errors.has(target.label) || !reader) continue;
        const url = target.url(round);
        const got = await reader.ask<ReaderReply>({ type: 'get', url }, 'got', 60_000);
        if (got.error !== null) {
          errors.set(target.label, `GET ${url} failed: ${got.error}`);
        } else if (got.status !== 200) {
          errors.set(target.label, `GET ${url} answered ${String(got.status)}`);
        } else {
          bodyBytes.set(target.label, got.bytes);
          if (round >= limits.warmUp) samples.get(target.label)?.push(got.ms);
        }
      }
    }
    return targets.map((target) => {
      const latencies = samples.get(target.label) ?? [];
      return {
        label: target.label,
        latencyMs: latencies.length > 0 ? summarize(latencies) : null,
        bodyBytes: bodyBytes.get(target.label) ?? 0,
        error: errors.get(target.label) ?? null,
      };
    });
  } finally {
    await Promise.all([...readers.values()].map((reader) => reader.stop()));
  }
}

/** What bench/processes/http-reader.ts answers for one GET. */
interface ReaderReply {
  readonly type: 'got';
  readonly status: number;
  readonly bytes: number;
  readonly ms: number;
  readonly error: string | null;
  readonly [field: string]: unknown;
}

/** A scan followed to its end. */
export interface FollowedSearch {
  readonly ms: number;
  readonly calls: number;
  readonly scanned: number;
  readonly total: number | null;
  readonly found: number;
  /** Latency of each call of the scan. */
  readonly callMs: LatencySummary | null;
  readonly error: string | null;
}

/** GET `url`, then again with `&cursor=<cursor>` while the answer gives one. */
export async function followSearch(url: string, maxCalls = 10_000): Promise<FollowedSearch> {
  const started = performance.now();
  const latencies: number[] = [];
  let scanned = 0;
  let found = 0;
  let total: number | null = null;
  let cursor: string | null = null;
  let error: string | null = null;
  do {
    const next: string = cursor === null ? url : `${url}&cursor=${encodeURIComponent(cursor)}`;
    const callStarted = performance.now();
    const response = await fetch(next);
    const text = await response.text();
    latencies.push(performance.now() - callStarted);
    if (response.status !== 200) {
      error = `GET ${next} answered ${String(response.status)}: ${text.slice(0, 200)}`;
      break;
    }
    const body = JSON.parse(text) as {
      jobs?: unknown[];
      scanned?: number;
      total?: number;
      cursor?: string | null;
    };
    scanned += body.scanned ?? 0;
    found += body.jobs?.length ?? 0;
    total ??= body.total ?? null;
    cursor = body.cursor ?? null;
  } while (cursor !== null && latencies.length < maxCalls);
  if (cursor !== null && error === null) error = `still a cursor after ${String(maxCalls)} calls`;
  return {
    ms: performance.now() - started,
    calls: latencies.length,
    scanned,
    total,
    found,
    callMs: latencies.length > 0 ? summarize(latencies) : null,
    error,
  };
}

/** A request's status and body, with no time limit (a synchronous bulk action may take minutes). */
export function send(
  method: string,
  url: string,
  body?: unknown,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      url,
      {
        method,
        headers: payload === undefined ? {} : { 'content-type': 'application/json' },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          resolve({ status: response.statusCode ?? 0, text });
        });
        response.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** The longest Redis commands since the last reset (SLOWLOG, threshold set by the scenario). */
export interface SlowCommands {
  readonly count: number;
  readonly maxMs: number | null;
  readonly slowest: string | null;
}

/** Record every Redis command slower than `thresholdMs` from now on. */
export async function resetSlowlog(admin: Redis, thresholdMs: number): Promise<void> {
  await admin.config('SET', 'slowlog-log-slower-than', String(Math.round(thresholdMs * 1000)));
  await admin.config('SET', 'slowlog-max-len', '10000');
  await admin.call('SLOWLOG', 'RESET');
}

/**
 * The commands SLOWLOG kept since `resetSlowlog`, but the reset itself: Redis logs a command once
 * it has run, so the RESET that emptied a long log is the first entry of the new one.
 */
export async function readSlowlog(admin: Redis): Promise<SlowCommands> {
  const entries = (await admin.call('SLOWLOG', 'GET', '10000')) as [
    number,
    number,
    number,
    string[],
    string,
    string,
  ][];
  const counted = entries.filter(([, , , args]) => !/^slowlog$/i.test(args[0] ?? ''));
  let maxMs: number | null = null;
  let slowest: string | null = null;
  for (const [, , micros, args, , client] of counted) {
    const ms = micros / 1000;
    if (maxMs === null || ms > maxMs) {
      maxMs = ms;
      // EVALSHA's sha says little: its first key tells which queue and set it worked on.
      const [command = '?', ...rest] = args;
      // EVAL's first argument is the whole script: only EVALSHA's sha is worth showing.
      const script = /^evalsha/i.test(command) ? `${(rest[0] ?? '').slice(0, 8)}…` : '(script)';
      slowest = /^eval/i.test(command)
        ? `${command} ${script} ${rest[2] ?? ''}`
        : [command, ...rest.slice(0, 2)].map((arg) => arg.slice(0, 60)).join(' ');
      // The connection's name (CLIENT SETNAME) says whose command it was, when it has one.
      if (client !== '') slowest += ` from ${client}`;
      // One line of a Markdown table cell.
      slowest = slowest.replace(/[\s|`]+/g, ' ');
    }
  }
  return { count: counted.length, maxMs, slowest };
}

/**
 * Wait (a minute at most) until Redis runs fewer than `quietPerSecond` commands a second: what a
 * phase leaves behind (Queuewatch recording 100,000 failures, say) must not be counted in the
 * next. Resolves with the last rate seen.
 */
export async function settle(admin: Redis, quietPerSecond = 2_000): Promise<number> {
  const deadline = performance.now() + 60_000;
  let rate = Number.POSITIVE_INFINITY;
  while (rate >= quietPerSecond && performance.now() < deadline) {
    const before = await commandCounts(admin);
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const calls = totalCalls(commandsBetween(before, await commandCounts(admin)));
    rate = Math.round(calls / ((performance.now() - started) / 1000));
  }
  return rate;
}
