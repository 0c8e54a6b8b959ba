import type { JobEvent } from '../../domain/job-events/job-event.js';
import type { FailureRules } from '../alerting/failure-rules.js';
import type { DeadLetterRecorder } from '../dead-letters/dead-letter-recorder.js';
import type { FailureStatsService } from '../dead-letters/failure-stats-service.js';
import type { EventGapLog } from '../events/event-gap-log.js';
import type { ProcessingTimes } from '../health/processing-times.js';
import type { QueueActivity } from '../health/queue-activity.js';
import type { Clock } from '../ports/clock.port.js';
import type { EventGap, JobEventSource } from '../ports/job-event-source.port.js';
import type { Logger } from '../ports/logger.port.js';
import type { MetricsRecorder } from '../ports/metrics.port.js';
import type { Timer } from '../ports/timer.port.js';
import type { CustomProgressReceiver } from '../progress/custom-progress.js';
import type { ProgressRelay } from '../progress/progress-relay.js';
import type { MonitoredQueues } from '../queues/monitored-queues.js';
import { WritesStoppedError } from '../writes/pending-writes.js';
import { reasonOf } from '../../domain/wording/reason.js';

/** Everything the watch loop hands events and signals to. */
export interface WatcherParts {
  readonly events: JobEventSource;
  readonly customProgress: Pick<CustomProgressReceiver, 'start' | 'stop'>;
  readonly queues: MonitoredQueues;
  readonly relay: Pick<ProgressRelay, 'relayJobEvent' | 'relayCustomProgress'>;
  readonly deadLetters: Pick<DeadLetterRecorder, 'record'>;
  readonly rules: Pick<FailureRules, 'observe' | 'evaluateAll'>;
  readonly processingTimes: Pick<ProcessingTimes, 'record' | 'forgetAll'>;
  readonly activity: Pick<QueueActivity, 'touch' | 'touchAll'>;
  readonly gaps: Pick<EventGapLog, 'record'>;
  readonly retention: Pick<FailureStatsService, 'prune'>;
  readonly metrics: Pick<MetricsRecorder, 'eventRead'>;
  readonly clock: Clock;
  readonly timer: Timer;
  readonly logger: Logger;
}

/** How often the loop's timers run (ms). */
export interface WatcherOptions {
  /** Look for new queues this often; `null` never (only the configured queues are watched). */
  readonly discoveryIntervalMs: number | null;
  /** Judge every queue's failure window this often, so a quiet queue recovers. */
  readonly evaluateIntervalMs: number;
  /** Apply the dead-letter queue's retention this often. */
  readonly pruneIntervalMs: number;
}

/**
 * The watch loop: finds the queues, follows their job events and hands each event to everything
 * that consumes it — the progress relay, the dead-letter recorder, the failure rules, processing
 * times and queue activity — and custom progress to the relay. It decides what losing track of
 * events resets, and runs the timers (discovery, rule evaluation, dead-letter retention).
 */
export class Watcher {
  private readonly stopTimers: (() => void)[] = [];
  private startedUp = false;
  private stopped = false;

  constructor(
    private readonly parts: WatcherParts,
    private readonly options: WatcherOptions,
  ) {
    parts.events.onEvent((event) => this.route(event));
    parts.events.onActivity((queues) => {
      if (queues !== 'all') {
        parts.activity.touch(queues);
        return;
      }
      // The reader lost Redis (or came back): anything may have changed, queues may be new.
      this.lostTrack();
      if (this.startedUp) void this.discover();
    });
    parts.events.onGap((gap) => {
      this.gapFound(gap);
    });
  }

  /**
   * Find the queues (when Redis answers), follow their events from now on, receive custom
   * progress, and start the timers. Resolves once the event positions are fixed.
   */
  async start(redisAnswers: boolean): Promise<void> {
    const { events, queues, logger } = this.parts;
    if (redisAnswers) await queues.refresh();
    events.follow(queues.names(), 'now');
    await events.start();
    this.startedUp = true;
    // Not awaited: with Redis away, subscribing waits for it, and start-up must not.
    this.parts.customProgress
      .start((message) => {
        this.parts.relay.relayCustomProgress(message);
      })
      .catch((error: unknown) => {
        logger.error('cannot subscribe to custom progress', { reason: reasonOf(error) });
      });
    this.startTimers();
  }

  /** Stop the timers, the event reader and custom progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const cancel of this.stopTimers.splice(0)) cancel();
    await Promise.all([this.parts.events.stop(), this.parts.customProgress.stop()]);
  }

  /**
   * Hand one event to everyone. Returns a promise only for the work that must not be lost (a
   * dead-letter record, an alert notice): the reader keeps its checkpoint before it until done.
   */
  private route(event: JobEvent): Promise<void> | undefined {
    const { relay, deadLetters, rules, processingTimes, metrics, clock } = this.parts;
    // Redis's clock against this host's: lag includes how far the two disagree.
    metrics.eventRead(event.queueName, Math.max(0, clock.now() - event.at) / 1000);
    relay.relayJobEvent(event);
    if (event.kind === 'completed' && event.processingTime !== null) {
      processingTimes.record(event.queueName, event.processingTime);
    }
    const recorded = event.kind === 'failed' ? deadLetters.record(event) : undefined;
    const noticed = rules.observe(event);
    const work =
      recorded && noticed
        ? Promise.all([recorded, noticed]).then(() => undefined)
        : (recorded ?? noticed);
    return work?.catch(unlessStopped);
  }

  /**
   * Events were missed: the health check reads every queue in full again, and processing times
   * are read again rather than kept from events.
   */
  private lostTrack(): void {
    this.parts.activity.touchAll();
    this.parts.processingTimes.forgetAll();
  }

  private gapFound(gap: EventGap): void {
    this.parts.gaps.record(gap);
    this.lostTrack();
  }

  /** Look for queues again; a queue found after start-up has its whole stream read. */
  private async discover(): Promise<void> {
    if (this.stopped) return;
    await this.parts.queues.refresh();
    this.parts.events.follow(this.parts.queues.names(), 'beginning');
  }

  private startTimers(): void {
    const { timer, rules, retention, logger } = this.parts;
    const { discoveryIntervalMs, evaluateIntervalMs, pruneIntervalMs } = this.options;
    if (discoveryIntervalMs !== null) {
      this.stopTimers.push(timer.every(discoveryIntervalMs, () => void this.discover()));
    }
    this.stopTimers.push(
      timer.every(evaluateIntervalMs, () => {
        rules.evaluateAll().catch(unlessStopped);
      }),
    );
    const prune = (): void => {
      retention.prune().catch((error: unknown) => {
        logger.warn('dead-letter retention failed; trying again later', {
          reason: reasonOf(error),
        });
      });
    };
    this.stopTimers.push(timer.every(pruneIntervalMs, prune));
    prune();
  }
}

/** Work cut short by a stop is not done: its event is read again after the next start. */
function unlessStopped(error: unknown): void {
  if (!(error instanceof WritesStoppedError)) throw error;
}
