import type { HealthIssue } from './health-issue.js';
import { levelReached } from './health-issue.js';
import { worstStatus, type HealthStatus } from './health-status.js';
import type { QueueThresholds } from './health-thresholds.js';
import type { JobCounts, QueueSnapshot } from './queue-snapshot.js';
import { describeWindow, grouped, plural } from '../wording/wording.js';

/** Figures derived from a snapshot, reported beside the counts. */
export interface QueueDetails {
  /** At least one worker is connected; `null` when workers cannot be counted. */
  readonly isRunning: boolean | null;
  readonly isPaused: boolean;
  readonly workerCount: number | null;
  /** Jobs the workers can run at once; BullMQ keeps no record of worker concurrency. */
  readonly processingCapacity: null;
  /** Mean processing time (ms) of the recent completed sample; `null` without one. */
  readonly avgProcessingTime: number | null;
  /** Failed / finished in the window; `null` below the minimum volume. */
  readonly errorRate: number | null;
  readonly finishedInWindow: { readonly completed: number; readonly failed: number };
  /** Active jobs stale at `now`, counted from the oldest until a fresh one (a bounded sample). */
  readonly staleJobs: number;
  /** When the last job finished (ms epoch). */
  readonly lastJobProcessedAt: number | null;
}

/** The verdict on one queue. */
export interface QueueHealth {
  readonly queueName: string;
  readonly status: HealthStatus;
  readonly stats: JobCounts | null;
  readonly details: QueueDetails | null;
  readonly issues: readonly HealthIssue[];
}

/** How long a lost-events finding stays in the report (ms). */
export const eventGapVisibleMs = 15 * 60_000;

/** What Queuewatch itself observed about a queue, beside what was read from Redis. */
export interface QueueObservations {
  /** When events of this queue were last found lost to stream trimming (ms epoch). */
  readonly lastEventGapAt: number | null;
  /** Why they were lost (the stream was trimmed unless said otherwise). */
  readonly lastEventGapReason?: 'trimmed' | 'redis-data-lost' | 'failover';
}

/** Judge one queue snapshot against its thresholds at time `now` (ms epoch). */
/** What each kind of event gap means, for the issue's message. */
const gapExplanations = {
  trimmed: 'the event stream was trimmed before Queuewatch read them',
  'redis-data-lost': 'Redis lost its data (restarted without persistence, or flushed)',
  failover:
    'Redis failed over to a replica, which lacked the events the old master had not replicated yet',
} as const;

export function evaluateQueueHealth(
  snapshot: QueueSnapshot,
  thresholds: QueueThresholds,
  now: number,
  observations: QueueObservations = { lastEventGapAt: null },
): QueueHealth {
  const source = snapshot.name;
  const issues: HealthIssue[] = [];
  const { counts } = snapshot;

  if (snapshot.isPaused) {
    issues.push({
      code: 'QUEUE_PAUSED',
      severity: 'unhealthy',
      source,
      message: `queue is paused; ${waitingJobs(counts.waiting)}`,
      measured: 'paused',
      threshold: 'running',
    });
  }

  const staleJobs = snapshot.activeStartedAt.filter(
    (startedAt) => now - startedAt >= thresholds.staleJobAfterMs,
  ).length;
  const staleLevel = levelReached(staleJobs, thresholds.staleJobs);
  if (staleLevel) {
    issues.push({
      code: 'STALE_JOBS',
      severity: staleLevel.severity,
      source,
      message: `${plural(staleJobs, 'active job')} ${staleJobs === 1 ? 'has' : 'have'} been processing for over ${describeWindow(thresholds.staleJobAfterMs)} (limit ${grouped(staleLevel.threshold)})`,
      measured: staleJobs,
      threshold: staleLevel.threshold,
    });
  }

  if (snapshot.workerCount === 0 && counts.waiting > 0 && !snapshot.isPaused) {
    issues.push({
      code: 'NO_WORKERS',
      severity: 'unhealthy',
      source,
      message: `${waitingJobs(counts.waiting)} and no worker is connected`,
      measured: 0,
      threshold: 1,
    });
  }

  const waitingLevel = levelReached(counts.waiting, thresholds.waitingJobs);
  if (waitingLevel) {
    issues.push({
      code: 'BACKLOG_HIGH',
      severity: waitingLevel.severity,
      source,
      message: `${waitingJobs(counts.waiting)} (limit ${grouped(waitingLevel.threshold)})`,
      measured: counts.waiting,
      threshold: waitingLevel.threshold,
    });
  }

  const errorRate = errorRateOf(snapshot.finishedInWindow, thresholds.errorRateMinJobs);
  const errorLevel = errorRate === null ? null : levelReached(errorRate, thresholds.errorRate);
  if (errorRate !== null && errorLevel) {
    issues.push({
      code: 'ERROR_RATE_HIGH',
      severity: errorLevel.severity,
      source,
      message: `${percent(errorRate)} of jobs failed in the last ${describeWindow(thresholds.errorRateWindowMs)} (limit ${percent(errorLevel.threshold)})`,
      measured: errorRate,
      threshold: errorLevel.threshold,
    });
  }

  if (
    observations.lastEventGapAt !== null &&
    now - observations.lastEventGapAt < eventGapVisibleMs
  ) {
    issues.push({
      code: 'EVENTS_MISSED',
      severity: 'degraded',
      source,
      // Never "-3000 s ago": a clock set back since the gap puts it in the future.
      message: `job events were lost ${String(Math.round(Math.max(0, now - observations.lastEventGapAt) / 1000))} s ago: ${
        gapExplanations[observations.lastEventGapReason ?? 'trimmed']
      }`,
      measured: observations.lastEventGapAt,
      threshold: null,
    });
  }

  return {
    queueName: snapshot.name,
    status: worstStatus(issues.map((issue) => issue.severity)),
    stats: counts,
    details: {
      isRunning: snapshot.workerCount === null ? null : snapshot.workerCount > 0,
      isPaused: snapshot.isPaused,
      workerCount: snapshot.workerCount,
      processingCapacity: null,
      avgProcessingTime: mean(snapshot.recentProcessingTimesMs),
      errorRate,
      finishedInWindow: snapshot.finishedInWindow,
      staleJobs,
      lastJobProcessedAt: snapshot.lastFinishedAt,
    },
    issues,
  };
}

/**
 * The first moment from `now` on at which judging `snapshot` against `thresholds` could give a
 * different verdict: when the next of its active jobs turns stale (evaluateQueueHealth counts a
 * job stale once `now - startedAt >= staleJobAfterMs`). `Infinity` when no job it saw is still
 * fresh. A finding of lost events also depends on the time; that is the caller's to weigh.
 */
export function verdictChangesAt(
  snapshot: Pick<QueueSnapshot, 'activeStartedAt'>,
  thresholds: Pick<QueueThresholds, 'staleJobAfterMs'>,
  now: number,
): number {
  let changesAt = Infinity;
  for (const startedAt of snapshot.activeStartedAt) {
    const staleAt = startedAt + thresholds.staleJobAfterMs;
    if (staleAt > now && staleAt < changesAt) changesAt = staleAt;
  }
  return changesAt;
}

/** The verdict on a queue that could not be read at all. */
export function unreadableQueueHealth(queueName: string, reason: string): QueueHealth {
  return {
    queueName,
    status: 'unhealthy',
    stats: null,
    details: null,
    issues: [
      {
        code: 'QUEUE_UNREADABLE',
        severity: 'unhealthy',
        source: queueName,
        message: `queue could not be read: ${reason}`,
        measured: null,
        threshold: null,
      },
    ],
  };
}

function errorRateOf(
  finished: { completed: number; failed: number },
  minJobs: number,
): number | null {
  const total = finished.completed + finished.failed;
  if (total === 0 || total < minJobs) return null;
  return finished.failed / total;
}

function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  return Math.round(values.reduce((sum, value) => sum + value, 0) / values.length);
}

/** `1 job is waiting`, `2 jobs are waiting`. */
function waitingJobs(count: number): string {
  return `${plural(count, 'job')} ${count === 1 ? 'is' : 'are'} waiting`;
}

function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(1)}%`;
}
