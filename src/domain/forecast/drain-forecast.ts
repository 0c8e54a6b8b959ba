/** How jobs flow through one queue now, as history measures it. */
export interface QueueFlow {
  /** Jobs waiting to be served now (waiting, prioritized, delayed and due). */
  readonly backlog: number;
  /** Jobs added per second now, averaged since the last step in arrivals. */
  readonly arrivalRate: number;
  /**
   * Jobs the workers finish per second when they have work (completed or failed), averaged since
   * the last step;
   * `null` until it has been seen.
   */
  readonly serviceRate: number | null;
  /** Workers connected now; `null` when Redis does not say. */
  readonly workers: number | null;
}

/** When the backlog will be gone, or why it will not. */
export type DrainForecast =
  | { readonly kind: 'empty' }
  | { readonly kind: 'draining'; readonly seconds: number; readonly perMinute: number }
  | { readonly kind: 'growing'; readonly perMinute: number }
  | { readonly kind: 'no-workers' }
  | { readonly kind: 'unknown' };

/**
 * The backlog drains at the service rate less the arrival rate: its time to empty is
 * backlog ÷ (service − arrival). When arrivals keep up with service it does not drain, and grows
 * by the difference. Without workers nothing drains, whatever the rates say.
 */
export function forecastDrain(flow: QueueFlow): DrainForecast {
  if (flow.workers === 0 && flow.backlog > 0) return { kind: 'no-workers' };
  if (flow.backlog <= 0) return { kind: 'empty' };
  if (flow.serviceRate === null) return { kind: 'unknown' };
  const net = flow.serviceRate - Math.max(0, flow.arrivalRate);
  if (net <= 0) return { kind: 'growing', perMinute: round(Math.abs(net) * 60) };
  return { kind: 'draining', seconds: round(flow.backlog / net), perMinute: round(net * 60) };
}

/**
 * How long a job added now waits before a worker takes it (s): the jobs ahead of it are served at
 * the service rate. `null` when that cannot be told (no service seen, or no workers).
 */
export function predictedWait(flow: QueueFlow): number | null {
  if (flow.workers === 0) return null;
  if (flow.backlog <= 0) return 0;
  if (flow.serviceRate === null || flow.serviceRate <= 0) return null;
  return round(flow.backlog / flow.serviceRate);
}

function round(value: number): number {
  return Math.round(value * 1_000) / 1_000;
}
