import { serversFor } from './erlang-c.js';
import type { MeasuredFlow } from './flow-from-history.js';

/** How a queue should be served: what an autoscaler aims for. */
export interface ScalingPolicy {
  /** Jobs one worker runs at once (its BullMQ `concurrency`). */
  readonly concurrency: number;
  /** 95 % of jobs should wait at most this long (s). */
  readonly targetWaitSeconds: number;
  /** A backlog should be gone within this long (s). */
  readonly drainWithinSeconds: number;
  readonly minWorkers: number;
  readonly maxWorkers: number;
}

/** The workers a queue needs, and why. */
export interface WorkerRecommendation {
  readonly workers: number;
  /** What set the number: the wait target (Erlang C), the backlog, the bounds, or no data. */
  readonly reason: 'wait-target' | 'backlog' | 'min' | 'max' | 'no-data';
  /** Workers the Erlang C model alone asks for; `null` without a measured processing time. */
  readonly modelWorkers: number | null;
}

/**
 * The workers that keep 95 % of waits under the target in steady state (Erlang C, M/M/c: each
 * worker is `concurrency` servers), and enough besides to clear the backlog within
 * `drainWithinSeconds` while jobs keep arriving; bounded by the policy's min and max. Without a
 * measured processing time there is nothing to model: the minimum, or the current count if higher.
 */
export function recommendWorkers(flow: MeasuredFlow, policy: ScalingPolicy): WorkerRecommendation {
  const bound = (workers: number, reason: WorkerRecommendation['reason'], model: number | null) => {
    if (workers > policy.maxWorkers)
      return { workers: policy.maxWorkers, reason: 'max' as const, modelWorkers: model };
    if (workers < policy.minWorkers)
      return { workers: policy.minWorkers, reason: 'min' as const, modelWorkers: model };
    return { workers, reason, modelWorkers: model };
  };
  if (flow.arrivalRate <= 0 && flow.backlog <= 0) return bound(0, 'wait-target', 0);
  if (flow.serviceTime === null) {
    return bound(Math.max(policy.minWorkers, flow.workers ?? 0), 'no-data', null);
  }
  const maxServers = policy.maxWorkers * policy.concurrency;
  const servers = serversFor(
    { arrivalRate: flow.arrivalRate, serviceTime: flow.serviceTime },
    { seconds: policy.targetWaitSeconds, quantile: 0.95 },
    maxServers,
  );
  const modelWorkers =
    servers === null ? policy.maxWorkers + 1 : Math.ceil(servers / policy.concurrency);
  const catchUpRate = flow.arrivalRate + flow.backlog / policy.drainWithinSeconds;
  const backlogWorkers = Math.ceil((catchUpRate * flow.serviceTime) / policy.concurrency);
  return backlogWorkers > modelWorkers
    ? bound(backlogWorkers, 'backlog', modelWorkers)
    : bound(modelWorkers, 'wait-target', modelWorkers);
}
