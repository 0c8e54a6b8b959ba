import type { AlertValue } from '../../domain/alerting/alert.js';
import {
  conditionAlert,
  conditionIncidentId,
  redisSubject,
} from '../../domain/alerting/condition-alert.js';
import {
  readCondition,
  type QueueSignals,
  type RedisSignals,
} from '../../domain/alerting/condition-reading.js';
import {
  severityOf,
  type ConditionRule,
  type RedisConditionRule,
} from '../../domain/alerting/condition-rules.js';
import {
  quietHeldState,
  stepHeldAlert,
  type HeldAlertState,
} from '../../domain/alerting/held-alert.js';
import type { Clock } from '../ports/clock.port.js';
import type { RedisProbe } from '../ports/redis-probe.port.js';
import type { Timer } from '../ports/timer.port.js';
import type { MonitoredQueue, MonitoredQueues } from '../queues/monitored-queues.js';
import type { PendingWrites } from '../writes/pending-writes.js';
import { WritesStoppedError } from '../writes/pending-writes.js';
import type { AlertDispatcher } from './alert-dispatcher.js';
import {
  historyRules,
  readQueueSignals,
  type ConditionSignalSources,
} from './condition-signals.js';
import { reasonOf } from '../../domain/wording/reason.js';

/** Everything the condition rules read and notify through. */
export interface ConditionRulesParts extends ConditionSignalSources {
  readonly queues: Pick<MonitoredQueues, 'list'>;
  readonly redis: Pick<RedisProbe, 'probe'>;
  readonly dispatcher: Pick<AlertDispatcher, 'firing' | 'resolved'>;
  readonly writes: Pick<PendingWrites, 'keep'>;
  readonly clock: Clock;
  readonly timer: Timer;
}

/** Settings of the condition rules that are not per queue. */
export interface ConditionRulesOptions {
  /** Judge every rule this often (ms). */
  readonly evaluateIntervalMs: number;
  /** While an alert fires, how long before it is sent again (ms). */
  readonly repeatIntervalMs: number;
  /** The enabled Redis rules (`redis-down`, `redis-memory`). */
  readonly redisRules: readonly RedisConditionRule[];
  /**
   * Whether any rule is configured, for any queue (discovered ones included) or for Redis; when
   * none is, `start` runs nothing and Redis is not read for them.
   */
  readonly anyRules: boolean;
  /**
   * Whether the history is kept: the oldest waiting job, the p95 wait and the drain forecast are
   * read from it, so without it those rules are never judged.
   */
  readonly historyEnabled: boolean;
}

/** One condition alert firing now, as this instance sees it. */
export interface FiringCondition {
  readonly incidentKey: string;
  readonly rule: ConditionRule['type'];
  /** `null` for a Redis rule. */
  readonly queueName: string | null;
  /** ISO-8601. */
  readonly since: string;
  /** The incident's id once its notice is queued; `null` while it waits for Redis. */
  readonly incidentId: string | null;
  readonly notification: 'queued' | 'pending';
  readonly values: Readonly<Record<string, AlertValue>>;
}

/** One rule of one queue (or of Redis): its held state and its notices. */
interface Watch {
  readonly incidentKey: string;
  /** `null` for a Redis rule. */
  readonly queueName: string | null;
  rule: ConditionRule;
  state: HeldAlertState;
  values: Readonly<Record<string, AlertValue>>;
  /** The incident whose firing notice is queued; `null` when none is. */
  incidentId: string | null;
  /** Notices decided but not yet queued (Redis refused them so far). */
  waiting: number;
  /** The incident's notices, queued one after the other. */
  chain: Promise<void>;
}

/**
 * The condition rules (backlog, oldest waiting job, p95 wait, drain time, no workers, stalled
 * jobs, paused queue, lost events, Redis down, Redis memory), judged on a timer from the health
 * report, the history, the forecast, the event-gap log and a Redis probe. Each rule of each queue
 * has its own held state machine (a breach fires once it has held the rule's `forMs`) and its own
 * incident. While Redis does not answer only `redis-down` is judged: every other rule keeps its
 * state, so no queue alert fires or resolves from a reading that could not be taken. Notices go
 * through the dispatcher in order per incident and are never awaited by the evaluation, so a
 * notice that waits for Redis (kept and retried by PendingWrites) does not hold the loop up.
 */
export class ConditionRules {
  private readonly watches = new Map<string, Watch>();
  private cancelTimer: (() => void) | null = null;
  private evaluating: Promise<void> | null = null;
  /** The run_id of the Redis process last read: the id of its outage (conditionIncidentId). */
  private lastRedisRunId: string | undefined;

  constructor(
    private readonly parts: ConditionRulesParts,
    private readonly options: ConditionRulesOptions,
  ) {}

  /** Judge every rule every `evaluateIntervalMs`; a round still under way is not overlapped. */
  start(): void {
    if (this.cancelTimer || !this.options.anyRules) return;
    if (!this.options.historyEnabled) {
      const needHistory = this.parts.queues
        .list()
        .flatMap((queue) => (queue.rules ?? []).map((rule) => rule.type))
        .filter((type) => historyRules.has(type));
      if (needHistory.length > 0) {
        this.parts.logger.warn('these alert rules read the history, which is off: never judged', {
          rules: [...new Set(needHistory)],
        });
      }
    }
    this.cancelTimer = this.parts.timer.every(this.options.evaluateIntervalMs, () => {
      this.evaluating ??= this.evaluateAll()
        .catch((error: unknown) => {
          this.parts.logger.warn('condition rules could not be judged; trying again', {
            reason: reasonOf(error),
          });
        })
        .finally(() => {
          this.evaluating = null;
        });
    });
  }

  /** Stop the timer and wait for a round under way. */
  async stop(): Promise<void> {
    this.cancelTimer?.();
    this.cancelTimer = null;
    await this.evaluating;
  }

  /**
   * Read everything the rules need and judge each one now. Resolves once every state is stepped
   * and every notice is handed to its incident's queue (not once it is sent: see `settled`).
   */
  async evaluateAll(): Promise<void> {
    const { redis, clock } = this.parts;
    const snapshot = await redis.probe();
    const now = clock.now();
    if (snapshot.reachable && snapshot.runId !== undefined) this.lastRedisRunId = snapshot.runId;
    const redisSignals: RedisSignals = snapshot.reachable
      ? {
          reachable: true,
          connectionStatus: snapshot.connectionStatus,
          usedMemoryBytes: snapshot.usedMemoryBytes,
          maxMemoryBytes: snapshot.maxMemoryBytes,
        }
      : { reachable: false, connectionStatus: snapshot.connectionStatus, reason: snapshot.reason };
    for (const rule of this.options.redisRules) {
      this.step(null, rule, redisSignals, now);
    }
    // Nothing read from Redis now is true of the queues: keep every queue rule as it stands.
    if (!snapshot.reachable) return;
    const queues = this.parts.queues.list().filter((queue) => (queue.rules ?? []).length > 0);
    if (queues.length === 0) return;
    const signals = await readQueueSignals(this.parts, queues, now, this.options.historyEnabled);
    for (const queue of queues) {
      const read = signals.get(queue.name) ?? {};
      for (const rule of queue.rules ?? []) this.step(queue, rule, read, now);
    }
  }

  /** Resolves once every notice decided so far is queued (or given up at a stop). */
  async settled(): Promise<void> {
    await Promise.all([...this.watches.values()].map((watch) => watch.chain));
  }

  /** The condition alerts firing now, as this instance sees them. */
  firingNow(): FiringCondition[] {
    return [...this.watches.values()].flatMap((watch): FiringCondition[] => {
      const alert = watch.state.alert;
      if (alert.status !== 'firing') return [];
      return [
        {
          incidentKey: watch.incidentKey,
          rule: watch.rule.type,
          queueName: watch.queueName,
          since: new Date(alert.since).toISOString(),
          incidentId: watch.incidentId,
          notification: watch.waiting > 0 ? 'pending' : 'queued',
          values: watch.values,
        },
      ];
    });
  }

  /** Step one rule of one subject and queue its notice, if any. */
  private step(
    queue: MonitoredQueue | null,
    rule: ConditionRule,
    signals: QueueSignals & Partial<RedisSignals>,
    now: number,
  ): void {
    const incidentKey = `${rule.type}/${queue?.name ?? redisSubject}`;
    const watch = this.watchOf(incidentKey, queue?.name ?? null, rule);
    watch.rule = rule;
    const reading = readCondition(rule, signals, now);
    if (reading === null) return;
    const before = watch.state;
    const step = stepHeldAlert(before, reading, now, {
      forMs: rule.forMs,
      repeatIntervalMs: this.options.repeatIntervalMs,
    });
    watch.state = step.state;
    if (step.transition === null) return;
    watch.values = reading.values;
    // A firing notice that still waits for Redis says the same as a repeat would.
    if (step.transition === 'repeat' && watch.waiting > 0) return;
    const since =
      step.state.alert.status === 'firing'
        ? step.state.alert.since
        : before.alert.status === 'firing'
          ? before.alert.since
          : now;
    const alertOf = (status: 'firing' | 'resolved', incidentId: string) =>
      conditionAlert({
        incidentId,
        status,
        rule,
        queueName: queue?.name ?? null,
        severity: severityOf(rule, queue?.priority ?? 'critical'),
        labels: queue?.labels ?? {},
        values: reading.values,
        startsAt: since,
        ...(status === 'resolved' ? { endsAt: now } : {}),
      });
    const proposed = conditionIncidentId(incidentKey, rule.type, since, this.lastRedisRunId);
    const { dispatcher } = this.parts;
    const notify =
      step.transition === 'resolve'
        ? async () => {
            await dispatcher.resolved(
              incidentKey,
              alertOf('resolved', watch.incidentId ?? proposed),
              now,
            );
            watch.incidentId = null;
          }
        : async () => {
            watch.incidentId = await dispatcher.firing(
              incidentKey,
              alertOf('firing', watch.incidentId ?? proposed),
              now,
              this.options.repeatIntervalMs,
            );
          };
    watch.waiting += 1;
    watch.chain = watch.chain
      .then(() => this.parts.writes.keep('alert', notify))
      .catch((error: unknown) => {
        if (error instanceof WritesStoppedError) return;
        this.parts.logger.error('a condition alert notice failed', {
          incident: incidentKey,
          reason: reasonOf(error),
        });
      })
      .finally(() => {
        watch.waiting -= 1;
      });
  }

  private watchOf(incidentKey: string, queueName: string | null, rule: ConditionRule): Watch {
    let watch = this.watches.get(incidentKey);
    if (!watch) {
      watch = {
        incidentKey,
        queueName,
        rule,
        state: quietHeldState,
        values: {},
        incidentId: null,
        waiting: 0,
        chain: Promise.resolve(),
      };
      this.watches.set(incidentKey, watch);
    }
    return watch;
  }
}
