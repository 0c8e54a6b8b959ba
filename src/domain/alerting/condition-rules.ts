import type { Histogram } from '../history/latency-histogram.js';
import { mergeHistograms, quantileOf } from '../history/latency-histogram.js';
import type { AlertSeverity, AlertValue } from './alert.js';

/** The condition rules about one queue. */
export type QueueConditionRuleType =
  | 'backlog'
  | 'oldest-waiting'
  | 'wait-p95'
  | 'drain-time'
  | 'no-workers'
  | 'stalled'
  | 'queue-paused'
  | 'event-gap';

/** The condition rules about Redis itself. */
export type RedisConditionRuleType = 'redis-down' | 'redis-memory';

/** A rule judged on a timer from what Queuewatch reads, rather than from job events. */
export type ConditionRuleType = QueueConditionRuleType | RedisConditionRuleType;

export const queueConditionRuleTypes: readonly QueueConditionRuleType[] = [
  'backlog',
  'oldest-waiting',
  'wait-p95',
  'drain-time',
  'no-workers',
  'stalled',
  'queue-paused',
  'event-gap',
];

export const redisConditionRuleTypes: readonly RedisConditionRuleType[] = [
  'redis-down',
  'redis-memory',
];

/** What every condition rule carries besides its own levels. */
export interface ConditionRuleBase {
  /** `false`: the alert is recorded and shown as firing, never sent to a destination. */
  readonly notify: boolean;
  /** `null`: the queue's priority. */
  readonly severity: AlertSeverity | null;
  /** A breach must hold this long (ms) before the alert fires. */
  readonly forMs: number;
}

/** One condition rule with its levels; a `clear…` level is where a firing alert resolves. */
export type ConditionRule = ConditionRuleBase &
  (
    | { readonly type: 'backlog'; readonly count: number; readonly clearCount: number }
    | { readonly type: 'oldest-waiting'; readonly ageMs: number; readonly clearAgeMs: number }
    | {
        readonly type: 'wait-p95';
        readonly ms: number;
        readonly clearMs: number;
        readonly windowMs: number;
      }
    | { readonly type: 'drain-time'; readonly seconds: number; readonly clearSeconds: number }
    | { readonly type: 'no-workers' }
    | { readonly type: 'stalled'; readonly count: number; readonly clearCount: number }
    | { readonly type: 'queue-paused' }
    | { readonly type: 'event-gap'; readonly windowMs: number }
    | { readonly type: 'redis-down' }
    | { readonly type: 'redis-memory'; readonly fraction: number; readonly clearFraction: number }
  );

/** The rule of one type. */
export type ConditionRuleOf<T extends ConditionRuleType> = Extract<ConditionRule, { type: T }>;

/** A rule about one queue. */
export type QueueConditionRule = ConditionRuleOf<QueueConditionRuleType>;

/** A rule about Redis. */
export type RedisConditionRule = ConditionRuleOf<RedisConditionRuleType>;

/** Each rule with its default levels (docs/alert-rules.md). */
export const defaultConditionRules: { readonly [T in ConditionRuleType]: ConditionRuleOf<T> } = {
  backlog: { type: 'backlog', count: 1_000, clearCount: 800, ...base(60_000) },
  'oldest-waiting': {
    type: 'oldest-waiting',
    ageMs: 5 * 60_000,
    clearAgeMs: 4 * 60_000,
    ...base(0),
  },
  'wait-p95': { type: 'wait-p95', ms: 60_000, clearMs: 48_000, windowMs: 5 * 60_000, ...base(0) },
  'drain-time': { type: 'drain-time', seconds: 900, clearSeconds: 720, ...base(60_000) },
  'no-workers': { type: 'no-workers', ...base(30_000) },
  stalled: { type: 'stalled', count: 1, clearCount: 0, ...base(0) },
  'queue-paused': { type: 'queue-paused', notify: false, severity: 'low', forMs: 0 },
  'event-gap': { type: 'event-gap', windowMs: 15 * 60_000, ...base(0) },
  'redis-down': { type: 'redis-down', notify: true, severity: 'critical', forMs: 30_000 },
  'redis-memory': {
    type: 'redis-memory',
    fraction: 0.9,
    clearFraction: 0.85,
    notify: true,
    severity: 'critical',
    forMs: 0,
  },
};

function base(forMs: number): ConditionRuleBase {
  return { notify: true, severity: null, forMs };
}

/** The clear level that follows a trigger level when none is given. */
export function defaultClearLevel(
  type: 'backlog' | 'oldest-waiting' | 'wait-p95' | 'drain-time' | 'stalled' | 'redis-memory',
  trigger: number,
): number {
  switch (type) {
    case 'stalled':
      return trigger - 1;
    case 'redis-memory':
      return Math.max(0, Math.round((trigger - 0.05) * 1_000) / 1_000);
    case 'drain-time':
      return trigger * 0.8;
    case 'backlog':
    case 'oldest-waiting':
    case 'wait-p95':
      return Math.floor(trigger * 0.8);
  }
}

/** The severity of a rule's alerts: its own, else the queue's priority. */
export function severityOf(rule: ConditionRule, priority: AlertSeverity): AlertSeverity {
  return rule.severity ?? priority;
}

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
