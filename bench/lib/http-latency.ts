import { Agent, request } from 'node:http';
import { summarize, type LatencySummary } from './stats.js';

/** What Chromium sends: a server that compresses may answer in any of these. */
const browserAcceptEncoding = 'gzip, deflate, br, zstd';

/** One GET as timed here: status, bytes on the wire, ms from sending to the body's last byte. */
export interface TimedGet {
  readonly status: number;
  readonly bytes: number;
  readonly ms: number;
}

/**
 * GET `url` over `agent` (one kept-alive connection per caller, as a dashboard tab has), with
 * the `Accept-Encoding` a browser sends, timed from sending the request to the body's last byte.
 * The body is not decompressed: what a client does with it afterwards is not the server's time,
 * and on this machine it would take the server's cores (a browser decompresses in native code,
 * Node's `fetch` in JavaScript streams: 17–22 ms for a 3.9 MB report, 7 ms without gzip).
 */
export function timedGet(url: string, agent: Agent): Promise<TimedGet> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const outgoing = request(
      url,
      { agent, headers: { 'Accept-Encoding': browserAcceptEncoding } },
      (response) => {
        let bytes = 0;
        response.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
        });
        response.on('end', () => {
          resolve({ status: response.statusCode ?? 0, bytes, ms: performance.now() - started });
        });
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** An agent holding one kept-alive connection: one dashboard tab's. */
export function oneConnection(): Agent {
  return new Agent({ keepAlive: true, maxSockets: 1 });
}

/** Latency of one GET, sequential requests over a kept-alive connection. */
export interface HttpLatency extends LatencySummary {
  /** Bytes of the last response body. */
  readonly bodyBytes: number;
}

/**
 * GET `url` one request after another (as one dashboard would, never two at once; see timedGet)
 * after a warm-up, until `maxRequests` or `maxMs`, whichever comes first. `bodyBytes` is what
 * came over the wire (gzipped when the server gzips). A status outside `answers`
 * stops the measure: a failing endpoint has no latency worth reporting. (A health report says
 * "unhealthy" with 503: that is an answer, not a failure.)
 */
export async function measureGet(
  url: string,
  limits: { readonly warmUp: number; readonly maxRequests: number; readonly maxMs: number },
  answers: readonly number[] = [200],
): Promise<HttpLatency> {
  let bodyBytes = 0;
  const agent = oneConnection();
  const once = async (): Promise<number> => {
    const got = await answeredGet(url, agent, answers);
    bodyBytes = got.bytes;
    return got.ms;
  };
  try {
    for (let index = 0; index < limits.warmUp; index += 1) await once();
    const latencies: number[] = [];
    const deadline = performance.now() + limits.maxMs;
    while (latencies.length < limits.maxRequests && performance.now() < deadline) {
      latencies.push(await once());
    }
    return { ...summarize(latencies), bodyBytes };
  } finally {
    agent.destroy();
  }
}

/**
 * GET each of `urls` in turn, `perRound` requests at a time (one after another, each over its
 * own kept-alive connection, as measureGet does), for `rounds` rounds, the order reversed every
 * other round, after a warm-up of each: a drift in the machine's speed over the measure falls on
 * every URL alike, where measuring them one after the other would hand it to whichever came last.
 * One latency per URL, in `urls`' order.
 */
export async function measureGetInTurn(
  urls: readonly string[],
  limits: { readonly warmUp: number; readonly rounds: number; readonly perRound: number },
  answers: readonly number[] = [200],
): Promise<HttpLatency[]> {
  const sides = urls.map((url) => ({
    url,
    agent: oneConnection(),
    latencies: [] as number[],
    bodyBytes: 0,
  }));
  try {
    for (const side of sides) {
      for (let index = 0; index < limits.warmUp; index += 1) {
        await answeredGet(side.url, side.agent, answers);
      }
    }
    for (let round = 0; round < limits.rounds; round += 1) {
      const order = round % 2 === 0 ? sides : [...sides].reverse();
      for (const side of order) {
        for (let index = 0; index < limits.perRound; index += 1) {
          const got = await answeredGet(side.url, side.agent, answers);
          side.latencies.push(got.ms);
          side.bodyBytes = got.bytes;
        }
      }
    }
    return sides.map((side) => ({ ...summarize(side.latencies), bodyBytes: side.bodyBytes }));
  } finally {
    for (const side of sides) side.agent.destroy();
  }
}

/** One timed GET; a status outside `answers` throws (see measureGet). */
async function answeredGet(
  url: string,
  agent: Agent,
  answers: readonly number[],
): Promise<TimedGet> {
  const got = await timedGet(url, agent);
  if (!answers.includes(got.status)) throw new Error(`GET ${url} answered ${String(got.status)}`);
  return got;
}

/**
 * `dashboards` pollers GET `url` every `intervalMs` each, started evenly spread over one
 * interval (open tabs are not in step), for `durationMs`. Resolves with the requests made.
 */
export async function pollLikeDashboards(
  url: string,
  dashboards: number,
  intervalMs: number,
  durationMs: number,
): Promise<number> {
  let requests = 0;
  const end = performance.now() + durationMs;
  const poller = async (offsetMs: number): Promise<void> => {
    const agent = oneConnection();
    try {
      await poll(offsetMs, agent);
    } finally {
      agent.destroy();
    }
  };
  const poll = async (offsetMs: number, agent: Agent): Promise<void> => {
    await new Promise((resolve) => setTimeout(resolve, offsetMs));
    for (let next = performance.now(); next < end; next += intervalMs) {
      const wait = next - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      if (performance.now() >= end) break;
      await timedGet(url, agent);
      requests += 1;
    }
  };
  await Promise.all(
    Array.from({ length: dashboards }, (_, index) => poller((index * intervalMs) / dashboards)),
  );
  return requests;
}
