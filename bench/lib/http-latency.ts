import { summarize, type LatencySummary } from './stats.js';

/** Latency of one GET, sequential requests over a kept-alive connection. */
export interface HttpLatency extends LatencySummary {
  /** Bytes of the last response body. */
  readonly bodyBytes: number;
}

/**
 * GET `url` one request after another (as one dashboard would, never two at once) after a
 * warm-up, until `maxRequests` or `maxMs`, whichever comes first. A status outside `answers`
 * stops the measure: a failing endpoint has no latency worth reporting. (A health report says
 * "unhealthy" with 503: that is an answer, not a failure.)
 */
export async function measureGet(
  url: string,
  limits: { readonly warmUp: number; readonly maxRequests: number; readonly maxMs: number },
  answers: readonly number[] = [200],
): Promise<HttpLatency> {
  let bodyBytes = 0;
  const once = async (): Promise<number> => {
    const started = performance.now();
    const response = await fetch(url);
    const body = await response.arrayBuffer();
    const elapsed = performance.now() - started;
    if (!answers.includes(response.status))
      throw new Error(`GET ${url} answered ${String(response.status)}`);
    bodyBytes = body.byteLength;
    return elapsed;
  };
  for (let index = 0; index < limits.warmUp; index += 1) await once();
  const latencies: number[] = [];
  const deadline = performance.now() + limits.maxMs;
  while (latencies.length < limits.maxRequests && performance.now() < deadline) {
    latencies.push(await once());
  }
  return { ...summarize(latencies), bodyBytes };
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
    await new Promise((resolve) => setTimeout(resolve, offsetMs));
    for (let next = performance.now(); next < end; next += intervalMs) {
      const wait = next - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      if (performance.now() >= end) break;
      const response = await fetch(url);
      await response.arrayBuffer();
      requests += 1;
    }
  };
  await Promise.all(
    Array.from({ length: dashboards }, (_, index) => poller((index * intervalMs) / dashboards)),
  );
  return requests;
}
