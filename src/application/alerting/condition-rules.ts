import type { AlertValue } from '../../domain/alerting/alert.js';
import { conditionAlert, redisSubject } from '../../domain/alerting/condition-alert.js';
import {
  readCondition,
  severityOf,
  waitP95Of,
  waitWindowStarts,
  type ConditionRule,
  type DrainSignal,
  type QueueConditionRule,
  type QueueSignals,
  type RedisConditionRule,
  type RedisSignals,
} from '../../domain/alerting/condition-rules.js';
import {
  quietHeldState,
  stepHeldAlert,
  type HeldAlertState,
} from '../../domain/alerting/held-alert.js';
import type { HealthReportBody, QueueHealthBody } from '../contract/health.js';
import type { EventGapLog } from '../events/event-gap-log.js';
import type { ForecastService } from '../forecast/forecast-service.js';
import type { HealthService } from '../health/health-service.js';
import type { Clock } from '../ports/clock.port.js';
import type { HistoryStore } from '../ports/history-store.port.js';
import type { Logger } from '../ports/logger.port.js';
import type { RedisProbe } from '../ports/redis-probe.port.js';
import type { Timer } from '../ports/timer.port.js';
import type { MonitoredQueue, MonitoredQueues } from '../queues/monitored-queues.js';
import type { PendingWrites } from '../writes/pending-writes.js';
import { WritesStoppedError } from '../writes/pending-writes.js';
import type { AlertDispatcher } from './alert-dispatcher.js';

/** Everything the condition rules read and notify through. */
export interface ConditionRulesParts {
  readonly queues: Pick<MonitoredQueues, 'list'>;
  readonly health: Pick<HealthService, 'check'>;
  readonly forecasts: Pick<ForecastService, 'forecast'>;
  readonly history: Pick<HistoryStore, 'read' | 'totals'>;
  readonly gaps: Pick<EventGapLog, 'lastGapAt'>;
  readonly redis: Pick<RedisProbe, 'probe'>;
  readonly dispatcher: Pick<AlertDispatcher, 'firing' | 'resolved'>;
  readonly writes: Pick<PendingWrites, 'keep'>;
  readonly clock: Clock;
  readonly timer: Timer;
  readonly logger: Logger;
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

  constructor(
    private readonly parts: ConditionRulesParts,
    private readonly options: ConditionRulesOptions,
  ) {}

  /** Judge every rule every `evaluateIntervalMs`; a round still under way is not overlapped. */
  start(): void {
    if (this.cancelTimer || !this.options.anyRules) return;
    this.cancelTimer = this.parts.timer.every(this.options.evaluateIntervalMs, () => {
      this.evaluating ??= this.evaluateAll()
        .catch((error: unknown) => {
          this.parts.logger.warn('condition rules could not be judged; trying again', {
            reason: describe(error),
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
    const signals = await this.readQueues(queues, now);
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

  /** What each queue's rules need, read once for all of them; a part that fails is left out. */
  private async readQueues(
    queues: readonly MonitoredQueue[],
    now: number,
  ): Promise<Map<string, QueueSignals>> {
    const { health, history, forecasts, gaps, logger } = this.parts;
    const needs = (queue: MonitoredQueue, type: QueueConditionRule['type']) =>
      (queue.rules ?? []).some((rule) => rule.type === type);
    const ageNames = queues.filter((queue) => needs(queue, 'oldest-waiting'));
    const [report, totals, waits, drains] = await Promise.all([
      settle(health.check(), 'health', logger),
      ageNames.length === 0
        ? undefined
        : settle(history.totals(ageNames.map((queue) => queue.name)), 'history totals', logger),
      Promise.all(
        queues.map((queue) => {
          const rule = (queue.rules ?? []).find((each) => each.type === 'wait-p95');
          if (!rule) return Promise.resolve(undefined);
          return settle(
            history
              .read(queue.name, 'minute', waitWindowStarts(now, rule.windowMs))
              .then((samples) => waitP95Of(samples.map((sample) => sample.wait))),
            'wait times',
            logger,
          );
        }),
      ),
      Promise.all(
        queues.map((queue) =>
          needs(queue, 'drain-time')
            ? settle(forecasts.forecast(queue.name), 'forecast', logger)
            : Promise.resolve(undefined),
        ),
      ),
    ]);
    const byName = new Map<string, QueueHealthBody>(
      (report?.queues ?? []).map((queue) => [queue.queueName, queue]),
    );
    const signals = new Map<string, QueueSignals>();
    queues.forEach((queue, index) => {
      const forecast = drains[index];
      const drain: DrainSignal | undefined = forecast
        ? {
            status: forecast.drain.status,
            seconds: forecast.drain.status === 'draining' ? forecast.drain.seconds : null,
            backlog: forecast.backlog,
          }
        : undefined;
      signals.set(queue.name, {
        ...healthSignals(byName.get(queue.name), report),
        ...(totals ? { oldestWaitingAt: totals.get(queue.name)?.oldestWaitingAt ?? null } : {}),
        ...(waits[index] === undefined ? {} : { waitP95Ms: waits[index] }),
        ...(drain ? { drain } : {}),
        lastGapAt: gaps.lastGapAt(queue.name),
      });
    });
    return signals;
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
    const proposed = `${incidentKey}/${String(since)}`;
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
          reason: describe(error),
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

/** What the health report says of one queue; nothing when it could not be read. */
function healthSignals(
  queue: QueueHealthBody | undefined,
  report: HealthReportBody | undefined,
): QueueSignals {
  if (!report || !queue?.stats || !queue.details) return {};
  return {
    waiting: queue.stats.waiting,
    paused: queue.details.isPaused,
    workers: queue.details.workerCount,
    staleJobs: queue.details.staleJobs,
  };
}

/** The value, or `undefined` (logged) when reading it failed. */
async function settle<T>(
  reading: Promise<T>,
  what: string,
  logger: Logger,
): Promise<T | undefined> {
  try {
    return await reading;
  } catch (error) {
    logger.debug('a condition rule reading failed; its rules keep their state', {
      reading: what,
      reason: describe(error),
    });
    return undefined;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
