import { forecastDrain, predictedWait } from '../../domain/forecast/drain-forecast.js';
import { flowOf } from '../../domain/forecast/flow-from-history.js';
import {
  recommendWorkers,
  type ScalingPolicy,
} from '../../domain/forecast/worker-recommendation.js';
import { stepsOf } from '../../domain/history/history-series.js';
import type { DrainForecastBody, QueueForecastBody, ScalingBody } from '../contract/forecast.js';
import { inBatches } from '../batches/in-batches.js';
import type { Clock } from '../ports/clock.port.js';
import type { HistoryStore } from '../ports/history-store.port.js';
import type { MonitoredQueues } from '../queues/monitored-queues.js';

/** Whole minutes the rates are measured over. */
const minutesRead = 15;

/** Queues whose history is read at once for `/metrics` (16 hashes each). */
const forecastsAtOnce = 200;

/** Each queue's scaling policy. */
export interface ScalingPolicies {
  readonly defaults: ScalingPolicy;
  readonly queues: Readonly<Record<string, ScalingPolicy>>;
}

/** Forecasts from each queue's history: when its backlog drains, and the workers it needs. */
export class ForecastService {
  constructor(
    private readonly store: Pick<HistoryStore, 'read'>,
    private readonly queues: Pick<MonitoredQueues, 'get' | 'names'>,
    private readonly clock: Clock,
    private readonly policies: ScalingPolicies,
  ) {}

  /** `null` when the queue is not watched. */
  async forecast(queueName: string): Promise<QueueForecastBody | null> {
    if (!this.queues.get(queueName)) return null;
    const now = this.clock.now();
    const starts = stepsOf('1h', now).slice(-(minutesRead + 1));
    const current = starts.at(-1);
    const samples = await this.store.read(queueName, 'minute', starts);
    const byStart = new Map(samples.map((sample) => [sample.at, sample]));
    const whole = starts.slice(0, -1).flatMap((at) => {
      const sample = byStart.get(at);
      return sample ? [sample] : [];
    });
    const latest =
      [current === undefined ? undefined : byStart.get(current), ...[...whole].reverse()].find(
        (sample) => sample?.backlog !== null && sample?.backlog !== undefined,
      ) ?? null;
    const policy = this.policyOf(queueName);
    const inProgress = current === undefined ? undefined : byStart.get(current);
    const flow = flowOf(
      whole,
      latest,
      policy.concurrency,
      current === undefined ? null : { added: inProgress?.added ?? 0, elapsedMs: now - current },
    );
    const recommendation = recommendWorkers(flow, policy);
    return {
      queueName,
      at: new Date(now).toISOString(),
      backlog: flow.backlog,
      workers: flow.workers,
      arrivalPerMinute: round(flow.arrivalRate * 60),
      servicePerMinute: flow.serviceRate === null ? null : round(flow.serviceRate * 60),
      meanProcessingSeconds: flow.serviceTime === null ? null : round(flow.serviceTime),
      drain: drainBody(forecastDrain(flow)),
      predictedWaitSeconds: predictedWait(flow),
      recommendation: {
        ...recommendation,
        concurrency: policy.concurrency,
        targetWaitSeconds: policy.targetWaitSeconds,
        minWorkers: policy.minWorkers,
        maxWorkers: policy.maxWorkers,
      },
    };
  }

  /** The autoscaling signal; `null` when the queue is not watched. */
  async scaling(queueName: string): Promise<ScalingBody | null> {
    const forecast = await this.forecast(queueName);
    if (!forecast) return null;
    return {
      queueName,
      recommendedWorkers: forecast.recommendation.workers,
      currentWorkers: forecast.workers,
      reason: forecast.recommendation.reason,
    };
  }

  /** Every watched queue's forecast (for `/metrics`). */
  async forecastAll(): Promise<QueueForecastBody[]> {
    const all = await inBatches(this.queues.names(), forecastsAtOnce, (name) =>
      this.forecast(name),
    );
    return all.filter((forecast): forecast is QueueForecastBody => forecast !== null);
  }

  private policyOf(queueName: string): ScalingPolicy {
    return this.policies.queues[queueName] ?? this.policies.defaults;
  }
}

function drainBody(forecast: ReturnType<typeof forecastDrain>): DrainForecastBody {
  switch (forecast.kind) {
    case 'draining':
      return { status: 'draining', seconds: forecast.seconds, perMinute: forecast.perMinute };
    case 'growing':
      return { status: 'growing', perMinute: forecast.perMinute };
    case 'empty':
    case 'no-workers':
    case 'unknown':
      return { status: forecast.kind };
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
