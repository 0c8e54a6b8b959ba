/** When a queue's backlog will be gone, or why it will not. */
export type DrainForecastBody =
  | { readonly status: 'empty' }
  | { readonly status: 'draining'; readonly seconds: number; readonly perMinute: number }
  | { readonly status: 'growing'; readonly perMinute: number }
  | { readonly status: 'no-workers' }
  | { readonly status: 'unknown' };

/** The workers a queue needs (docs/forecast.md). */
export interface RecommendationBody {
  readonly workers: number;
  /** What set the number: the wait target (Erlang C), the backlog, the bounds, or no data. */
  readonly reason: 'wait-target' | 'backlog' | 'min' | 'max' | 'no-data';
  /** What the Erlang C model alone asks for; `null` without a measured processing time. */
  readonly modelWorkers: number | null;
  readonly concurrency: number;
  readonly targetWaitSeconds: number;
  readonly minWorkers: number;
  readonly maxWorkers: number;
}

/** `GET /api/v1/queues/:queue/forecast`: rates, the drain forecast, and the workers needed. */
export interface QueueForecastBody {
  readonly queueName: string;
  /** ISO-8601: when it was computed. */
  readonly at: string;
  readonly backlog: number;
  readonly workers: number | null;
  /** Jobs added per minute, averaged over the minutes since the last step in arrivals (≤ 15). */
  readonly arrivalPerMinute: number;
  /** Jobs the workers finish per minute while they have a backlog; `null` until seen. */
  readonly servicePerMinute: number | null;
  readonly meanProcessingSeconds: number | null;
  readonly drain: DrainForecastBody;
  /** How long a job added now would wait for a worker (s); `null` when it cannot be told. */
  readonly predictedWaitSeconds: number | null;
  readonly recommendation: RecommendationBody;
}

/**
 * `GET /api/v1/queues/:queue/scaling`: the autoscaling signal, shaped for KEDA's Metrics API
 * scaler (`valueLocation: recommendedWorkers`).
 */
export interface ScalingBody {
  readonly queueName: string;
  readonly recommendedWorkers: number;
  readonly currentWorkers: number | null;
  readonly reason: RecommendationBody['reason'];
}
