import type { JobEvent } from '../../domain/job-events/job-event.js';

/**
 * Events were lost: the queue's stream was trimmed past the last one read (`trimmed`), Redis
 * lost its data — restarted without persistence, or flushed (`redis-data-lost`) — or failed over
 * to a replica that lacked the old master's last writes (`failover`).
 */
export interface EventGap {
  readonly queueName: string;
  readonly reason: 'trimmed' | 'redis-data-lost' | 'failover';
  /** The last event id read before the gap. */
  readonly lastReadId: string;
  /** The oldest event id still in the stream. */
  readonly resumedAtId: string;
  /** When the gap was found (ms). */
  readonly detectedAt: number;
}

/** One ordered stream of job events for every followed queue. */
export interface JobEventSource {
  /**
   * Also follow these queues; already followed ones are kept. `now` starts after their newest
   * event (queues known at start-up), `beginning` reads their whole stream (queues that appeared
   * later, whose events all happened while they were unknown).
   */
  follow(queueNames: readonly string[], from?: 'now' | 'beginning'): void;
  /**
   * Called for every event, in stream order per queue. A listener may return a promise for work
   * that must not be lost (a dead-letter record, an alert notice): reading goes on meanwhile, but
   * the checkpoint never passes an event whose work is unfinished, so a restart reads it again;
   * and past a bound of unfinished work, reading waits.
   */
  onEvent(listener: (event: JobEvent) => void | Promise<void>): void;
  /**
   * Called with the queues whose streams had entries in a batch read that may change what a
   * health check reads (any event but progress: added, paused, removed…, not only the job events
   * above), or with `'all'` when the reader loses track (Redis went away) and again when it
   * resumes: anything may have changed meanwhile.
   */
  onActivity(listener: (queues: readonly string[] | 'all') => void): void;
  /** Called when events were lost (trimmed, or Redis lost its data). */
  onGap(listener: (gap: EventGap) => void): void;
  /** Begin reading; resolves once the queues followed so far have their start positions. */
  start(): Promise<void>;
  stop(): Promise<void>;
}
