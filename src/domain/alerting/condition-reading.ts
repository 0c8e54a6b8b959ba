import type { Histogram } from '../history/latency-histogram.js';
import { mergeHistograms, quantileOf } from '../history/latency-histogram.js';
import type { AlertValue } from './alert.js';
import type { ConditionRule, ConditionRuleOf } from './condition-rules.js';

/** When a queue's backlog will be gone, as the forecast says. */
export interface DrainSignal {
  readonly status: 'empty' | 'draining' | 'growing' | 'no-workers' | 'unknown';
  /** For `draining`: seconds until the backlog is gone. */
  readonly seconds: number | null;
  /** Jobs waiting, as the forecast saw them. */
  readonly backlog: number;
}

/**
 * What was read of one queue for its rules. `undefined` means "not read this time": a rule that
 * needs it is not judged (its state is kept).
 */
export interface QueueSignals {
  /** Jobs waiting, prioritized ones included. */
  readonly waiting?: number;
  readonly paused?: boolean;
  /** Connected workers; `null` when Redis does not allow counting them. */
  readonly workers?: number | null;
  /** Active jobs stale now (the health check's count). */
  readonly staleJobs?: number;
  /** When the job that has waited longest was created (ms); `null` when none waits. */
  readonly oldestWaitingAt?: number | null;
  /** p95 of the measured waits in the rule's window (ms); `null` when no job started in it. */
  readonly waitP95Ms?: number | null;
  readonly drain?: DrainSignal;
  /** When events of the queue were last found lost (ms); `null` when never. */
  readonly lastGapAt?: number | null;
}

/** What was read of Redis for its rules. */
export interface RedisSignals {
  readonly reachable: boolean;
  readonly connectionStatus: string;
  /** Why it is unreachable. */
  readonly reason?: string;
  /** `undefined` when not read. */
  readonly usedMemoryBytes?: number;
  /** `0` when Redis has no `maxmemory`. */
  readonly maxMemoryBytes?: number;
}

/** One rule judged against what was read: breach and clear, and the values it was judged on. */
export interface ConditionReading {
  readonly breached: boolean;
  readonly cleared: boolean;
  /** What was measured and the levels it was judged against, as the alert carries them. */
  readonly values: Readonly<Record<string, AlertValue>>;
}

/**
 * Judge one rule at `now` against what was read; `null` when what it needs was not read (Redis
 * down, the queue unreadable, history off): its state is then kept as it is.
 */
export function readCondition(
  rule: ConditionRule,
  signals: QueueSignals & Partial<RedisSignals>,
  now: number,
): ConditionReading | null {
  const forMs = rule.forMs;
  switch (rule.type) {
    case 'backlog': {
      const { waiting } = signals;
      if (waiting === undefined) return null;
      return judged(waiting > rule.count, waiting <= rule.clearCount, {
        waiting,
        count: rule.count,
        clearCount: rule.clearCount,
        forMs,
      });
    }
    case 'oldest-waiting': {
      const oldest = signals.oldestWaitingAt;
      if (oldest === undefined) return null;
      const age = oldest === null ? 0 : Math.max(0, now - oldest);
      return judged(age > rule.ageMs, age <= rule.clearAgeMs, {
        oldestWaitingMs: oldest === null ? null : age,
        ageMs: rule.ageMs,
        clearAgeMs: rule.clearAgeMs,
        forMs,
      });
    }
    case 'wait-p95': {
      const p95 = signals.waitP95Ms;
      if (p95 === undefined) return null;
      return judged(p95 !== null && p95 > rule.ms, p95 === null || p95 <= rule.clearMs, {
        waitP95Ms: p95,
        ms: rule.ms,
        clearMs: rule.clearMs,
        windowMs: rule.windowMs,
        forMs,
      });
    }
    case 'drain-time':
      return readDrain(rule, signals.drain);
    case 'no-workers': {
      const { workers, waiting } = signals;
      if (workers === undefined || workers === null || waiting === undefined) return null;
      const breached = workers === 0 && waiting > 0;
      return judged(breached, !breached, { workers, waiting, forMs });
    }
    case 'stalled': {
      const stale = signals.staleJobs;
      if (stale === undefined) return null;
      return judged(stale >= rule.count, stale <= rule.clearCount, {
        staleJobs: stale,
        count: rule.count,
        clearCount: rule.clearCount,
        forMs,
      });
    }
    case 'queue-paused': {
      const { paused } = signals;
      if (paused === undefined) return null;
      return judged(paused, !paused, { paused, waiting: signals.waiting ?? null });
    }
    case 'event-gap': {
      const at = signals.lastGapAt;
      if (at === undefined) return null;
      const recent = at !== null && now - at < rule.windowMs;
      return judged(recent, !recent, {
        lastGapAt: at === null ? null : new Date(at).toISOString(),
        windowMs: rule.windowMs,
      });
    }
    case 'redis-down': {
      if (signals.reachable === undefined) return null;
      return judged(!signals.reachable, signals.reachable, {
        reachable: signals.reachable,
        connectionStatus: signals.connectionStatus ?? null,
        reason: signals.reason ?? null,
        forMs,
      });
    }
    case 'redis-memory':
      return readMemory(rule, signals);
  }
}

function readDrain(
  rule: ConditionRuleOf<'drain-time'>,
  drain: DrainSignal | undefined,
): ConditionReading | null {
  if (drain === undefined || drain.status === 'unknown') return null;
  const values = {
    drainStatus: drain.status,
    drainSeconds: drain.seconds,
    backlog: drain.backlog,
    seconds: rule.seconds,
    clearSeconds: rule.clearSeconds,
    forMs: rule.forMs,
  };
  switch (drain.status) {
    case 'empty':
      return judged(false, true, values);
    case 'growing':
    case 'no-workers':
      // It will not drain at all, unless nothing waits.
      return judged(drain.backlog > 0, drain.backlog === 0, values);
    case 'draining': {
      const seconds = drain.seconds ?? 0;
      return judged(seconds > rule.seconds, seconds <= rule.clearSeconds, values);
    }
  }
}

function readMemory(
  rule: ConditionRuleOf<'redis-memory'>,
  signals: Partial<RedisSignals>,
): ConditionReading | null {
  const used = signals.usedMemoryBytes;
  const max = signals.maxMemoryBytes;
  if (signals.reachable !== true || used === undefined || max === undefined) return null;
  const usedFraction = max > 0 ? Math.round((used / max) * 10_000) / 10_000 : null;
  return judged(
    usedFraction !== null && usedFraction > rule.fraction,
    usedFraction === null || usedFraction <= rule.clearFraction,
    {
      usedBytes: used,
      maxBytes: max > 0 ? max : null,
      usedFraction,
      fraction: rule.fraction,
      clearFraction: rule.clearFraction,
      forMs: rule.forMs,
    },
  );
}

function judged(
  breached: boolean,
  cleared: boolean,
  values: Record<string, AlertValue>,
): ConditionReading {
  return { breached, cleared, values };
}

/** Minute length of the history points wait times are read from (ms). */
const minuteMs = 60_000;

/**
 * The starts of the minute points that cover the last `windowMs` before `now`, the minute in
 * progress included: the window is rounded out to whole minutes.
 */
export function waitWindowStarts(now: number, windowMs: number): number[] {
  const last = Math.floor(now / minuteMs) * minuteMs;
  const first = Math.floor((now - windowMs) / minuteMs) * minuteMs;
  const starts: number[] = [];
  for (let at = Math.max(first, last - 1_440 * minuteMs); at <= last; at += minuteMs) {
    starts.push(at);
  }
  return starts;
}

/** The p95 of the waits of several minutes (ms); `null` when none was measured. */
export function waitP95Of(waits: readonly Histogram[]): number | null {
  return quantileOf(mergeHistograms(waits), 0.95);
}
