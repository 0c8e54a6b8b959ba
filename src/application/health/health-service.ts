import {
  evaluateQueueHealth,
  evaluateRedisHealth,
  eventGapVisibleMs,
  type RedisObservations,
  summarizeHealth,
  unreadableQueueHealth,
  verdictChangesAt,
  type QueueHealth,
  type RedisThresholds,
} from '../../domain/queue-health/index.js';
import type { HealthReportBody, ReadinessBody } from '../contract/health.js';
import type { EventGapLog } from '../events/event-gap-log.js';
import type { Clock } from '../ports/clock.port.js';
import type {
  QueueInspectionRequest,
  QueuePort,
  QueueReading,
  QueueReadout,
  QueueSampleSizes,
} from '../ports/queue.port.js';
import type { RedisProbe } from '../ports/redis-probe.port.js';
import type { Timer } from '../ports/timer.port.js';
import type { MonitoredQueue, MonitoredQueues } from '../queues/monitored-queues.js';
import type { PendingWrites } from '../writes/pending-writes.js';
import { KeptReadings } from './kept-readings.js';
import { KeptVerdicts } from './kept-verdicts.js';
import { ReportCache } from './report-cache.js';
import type { ProcessingTimes } from './processing-times.js';
import type { ActivityMark, QueueActivity } from './queue-activity.js';

/** Settings of the health check that are not per queue. */
export interface HealthServiceOptions {
  readonly redis: RedisThresholds;
  readonly samples: QueueSampleSizes;
  /**
   * A report younger than this (ms) is served again instead of reading Redis anew, and
   * concurrent requests share one read: ten open dashboards cost Redis what one does.
   */
  readonly maxAgeMs: number;
  /**
   * A queue without job events since its last read has its counts, pause state and error-rate
   * window read again once they are this old (ms), and its samples not at all; `0` reads every
   * queue in full on every check.
   */
  readonly quietRefreshMs: number;
  /**
   * For this long (ms) after a request, each report is read again in the background as it
   * expires, so a reader polling less often than `maxAgeMs` (a dashboard every 2 s, a status page
   * every 5 s) is served a report at most `maxAgeMs` and one read old without waiting for the
   * read; `0` (or no `timer`) reads only on request. Needs `maxAgeMs` above 0, and only while a
   * read takes `slowReadMs` or more (thousands of queues): a faster read costs a reader less to
   * wait for than it costs Queuewatch to repeat.
   */
  readonly keepFreshForMs?: number;
  /**
   * Lets other work (live events, requests) run between slices of a check: with thousands of
   * queues, judging them all in one go holds the event loop for tens of milliseconds. Without it,
   * a check judges every queue in one go. Its `delay` times the reads that keep a report fresh.
   */
  readonly timer?: Pick<Timer, 'nextTurn' | 'delay'>;
}

/** Queues judged between two turns of the event loop. */
const queuesPerTurn = 500;

/** What Queuewatch's event flow tells the health check; each part is optional. */
export interface HealthObservers {
  /** When events of a queue were lost (an EVENTS_MISSED finding), and Redis lost its data. */
  readonly gaps?: Pick<EventGapLog, 'lastGapAt' | 'lastGapReason' | 'lastDataLossAt'>;
  /** Writes Redis refused that wait in memory (a REDIS_WRITES_REFUSED finding). */
  readonly writes?: Pick<PendingWrites, 'status'>;
  /** Which queues had events; without it every check reads every queue in full. */
  readonly activity?: QueueActivity;
  /** Processing times kept from completion events; without it they are read on every deep read. */
  readonly processingTimes?: ProcessingTimes;
}

/**
 * Answers "how are my queues and Redis?" by reading everything in parallel and judging it. Only
 * what can have changed is read again: see KeptReadings. Redis and the workers are read on every
 * check, and every verdict is judged at the check's time.
 */
export class HealthService {
  private readonly kept: KeptReadings;
  private readonly judged = new KeptVerdicts();

  private readonly gaps: HealthObservers['gaps'];
  private readonly writes: HealthObservers['writes'];
  private readonly processingTimes: HealthObservers['processingTimes'];

  constructor(
    private readonly queues: MonitoredQueues,
    private readonly queuePort: QueuePort,
    private readonly redisProbe: RedisProbe,
    clock: Clock,
    private readonly options: HealthServiceOptions,
    observers: HealthObservers = {},
  ) {
    this.gaps = observers.gaps;
    this.writes = observers.writes;
    this.processingTimes = observers.processingTimes;
    this.kept = new KeptReadings(options.quietRefreshMs, observers.activity);
    this.reports = new ReportCache(
      clock,
      {
        maxAgeMs: options.maxAgeMs,
        keepFreshForMs: options.keepFreshForMs ?? 0,
        ...(options.timer ? { timer: options.timer } : {}),
      },
      (now) => this.prepared(now),
    );
  }

  private readonly reports: ReportCache<HealthReportBody>;
  private readonly preparations: ((report: HealthReportBody) => Promise<void>)[] = [];

  /**
   * The full health report of every watched queue and Redis, at most `maxAgeMs` old — or, while
   * the next one is being read, older by at most twice the time the last read took; with
   * thousands of queues, read ahead while someone asks (see ReportCache). A reader coming back
   * after a long pause waits for a new report.
   */
  check(): Promise<HealthReportBody> {
    return this.reports.get();
  }

  /** Stop reading reports ahead: nothing is read after this but on request. */
  stop(): void {
    this.reports.stop();
  }

  /**
   * Work every new report goes through before it is handed out: an adapter encoding it once for
   * every request that gets it. A step that fails leaves the report as it is.
   */
  prepareWith(step: (report: HealthReportBody) => Promise<void>): void {
    this.preparations.push(step);
  }

  /** A report read and prepared: what the cache serves. */
  private async prepared(now: number): Promise<HealthReportBody> {
    const body = await this.read(now);
    for (const prepare of this.preparations) await prepare(body).catch(() => undefined);
    return body;
  }

  private async read(now: number): Promise<HealthReportBody> {
    const monitored = this.queues.list();
    const watched = new Set(monitored.map((queue) => queue.name));
    this.kept.retainOnly(watched);
    this.judged.retainOnly(watched);
    this.processingTimes?.retainOnly(watched);
    const requests: QueueInspectionRequest[] = [];
    for (const [index, queue] of monitored.entries()) {
      if (index > 0 && index % queuesPerTurn === 0) await this.options.timer?.nextTurn();
      const staleStartedBy = now - queue.thresholds.staleJobAfterMs;
      requests.push({
        name: queue.name,
        depth: this.kept.depthFor(queue.name, now, staleStartedBy),
        finishedSince: now - queue.thresholds.errorRateWindowMs,
        staleStartedBy,
        processingTimes: this.processingTimes?.known(queue.name) === undefined,
      });
    }
    const mark = this.kept.mark();
    const [redisSnapshot, readings] = await Promise.all([
      this.redisProbe.probe(),
      this.queuePort.inspect(requests, this.options.samples),
    ]);
    const queueHealth: QueueHealth[] = [];
    for (const [index, queue] of monitored.entries()) {
      if (index > 0 && index % queuesPerTurn === 0) await this.options.timer?.nextTurn();
      queueHealth.push(this.judge(queue, requests[index], readings[index], { now, mark }));
    }
    const verdict = summarizeHealth(
      evaluateRedisHealth(redisSnapshot, this.options.redis, this.redisObservations(), now),
      queueHealth,
    );
    return {
      status: verdict.status,
      timestamp: new Date(now).toISOString(),
      redis: verdict.redis,
      queues: verdict.queues.map((queue) => this.judged.body(queue)),
      summary: verdict.summary,
      issues: verdict.issues,
    };
  }

  /** One queue's health from its reading (unreadable when there is none). */
  private judge(
    queue: MonitoredQueue,
    request: QueueInspectionRequest | undefined,
    reading: QueueReading<QueueReadout> | undefined,
    { now, mark }: { readonly now: number; readonly mark: ActivityMark },
  ): QueueHealth {
    if (!reading || !request) return unreadableQueueHealth(queue.name, 'no reading was returned');
    if (!reading.ok) {
      this.kept.forget(queue.name);
      this.judged.forget(queue.name);
      return unreadableQueueHealth(queue.name, reading.reason);
    }
    const times = this.keptProcessingTimes(queue.name, request, reading.value);
    const merged = this.kept.merge(queue.name, reading.value, {
      at: now,
      mark,
      staleStartedBy: request.staleStartedBy,
    });
    if (!merged) {
      this.judged.forget(queue.name);
      return unreadableQueueHealth(
        queue.name,
        'the reading was incomplete; it is read in full next time',
      );
    }
    const lastEventGapAt = this.gaps?.lastGapAt(queue.name) ?? null;
    const same = this.judged.unchanged(queue.name, merged, queue.thresholds, times, now);
    if (same && lastEventGapAt === null) return same;
    const snapshot = times ? { ...merged, recentProcessingTimesMs: times } : merged;
    const health = evaluateQueueHealth(snapshot, queue.thresholds, now, {
      lastEventGapAt,
      lastEventGapReason: this.gaps?.lastGapReason(queue.name) ?? 'trimmed',
    });
    // A verdict is kept, to be handed out again while nothing changes, until the next of its
    // active jobs turns stale; one that states the age of an event gap is judged at every check.
    if (lastEventGapAt === null) {
      const changesAt = verdictChangesAt(merged, queue.thresholds, now);
      this.judged.keep(queue.name, merged, queue.thresholds, times, health, {
        judgedAt: now,
        changesAt,
      });
    } else {
      this.judged.forget(queue.name);
    }
    return health;
  }

  /**
   * The processing times kept from events for this queue, seeding them with what a read that
   * asked for them brought back; `undefined` when nothing keeps them.
   */
  private keptProcessingTimes(
    queueName: string,
    request: QueueInspectionRequest,
    readout: QueueReadout,
  ): readonly number[] | undefined {
    if (!this.processingTimes) return undefined;
    if (request.processingTimes && readout.samples) {
      this.processingTimes.seed(queueName, readout.samples.recentProcessingTimesMs);
    }
    return this.processingTimes.known(queueName);
  }

  /** What Queuewatch saw of Redis itself: refused writes, lost data. */
  private redisObservations(): RedisObservations {
    const writes = this.writes?.status();
    return {
      refusedWrites:
        writes && writes.since !== null
          ? {
              deadLetters: writes.deadLetters,
              alerts: writes.alerts,
              since: writes.since,
              lastError: writes.lastError,
            }
          : null,
      dataLostAt: this.gaps?.lastDataLossAt() ?? null,
      dataLossReportMs: eventGapVisibleMs,
    };
  }

  /** Ready means Redis answers a PING now. */
  async readiness(): Promise<ReadinessBody> {
    const { ok, connectionStatus } = await this.redisProbe.ping();
    return { ready: ok, redis: connectionStatus };
  }
}
