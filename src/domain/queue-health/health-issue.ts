/** Machine-readable reason for a degraded or unhealthy verdict. */
export type HealthIssueCode =
  | 'REDIS_UNREACHABLE'
  | 'REDIS_SLOW'
  | 'REDIS_MEMORY_HIGH'
  | 'REDIS_WRITES_REFUSED'
  | 'REDIS_DATA_LOST'
  | 'QUEUE_UNREADABLE'
  | 'QUEUE_PAUSED'
  | 'STALE_JOBS'
  | 'NO_WORKERS'
  | 'BACKLOG_HIGH'
  | 'ERROR_RATE_HIGH'
  | 'EVENTS_MISSED';

/** One finding: what was measured, against which threshold, and how bad it is. */
export interface HealthIssue {
  readonly code: HealthIssueCode;
  readonly severity: 'degraded' | 'unhealthy';
  /** `redis` or the queue's name. */
  readonly source: string;
  readonly message: string;
  readonly measured: number | string | null;
  readonly threshold: number | string | null;
}

/** A pair of levels: reaching `degraded` degrades, reaching `unhealthy` makes unhealthy. */
export interface Levels {
  readonly degraded: number;
  readonly unhealthy: number;
}

/** Which level, if any, `measured` reaches; the threshold reported is the one it crossed. */
export function levelReached(
  measured: number,
  levels: Levels,
): { severity: 'degraded' | 'unhealthy'; threshold: number } | null {
  if (measured >= levels.unhealthy) return { severity: 'unhealthy', threshold: levels.unhealthy };
  if (measured >= levels.degraded) return { severity: 'degraded', threshold: levels.degraded };
  return null;
}
