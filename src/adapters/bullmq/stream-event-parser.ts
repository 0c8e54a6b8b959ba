import type { JobEvent } from '../../domain/job-events/job-event.js';
import { ProcessingClock } from '../../domain/job-events/processing-clock.js';
import { msOf, parseJsonValue } from './stream-entries.js';

/** Fields of a job hash read for some events. */
export type JobFields = Map<string, string | null>;

/** What every event read carries. */
interface ReadBase {
  /** The entry's id in the queue's event stream: unique, and the same for every reader. */
  readonly id: string;
  readonly queueName: string;
  readonly jobId: string;
  readonly at: number;
}

/**
 * An event read, before what needs the job's hash is known. Besides the events relayed as they
 * are (`ready`), a completion may need its processing time from the hash, and a failure needs its
 * attempt number and details (see attempt-attribution.ts). `added`, `stalled` and `exhausted` are
 * relayed to nobody: they tell how the job's attempt count moves.
 */
export type PendingEvent =
  | (ReadBase & { readonly type: 'ready'; readonly event: JobEvent })
  | (ReadBase & {
      readonly type: 'completed';
      /** Processing time from the events; `null` when the start was not seen (read the hash). */
      readonly processingTime: number | null;
      readonly returnValue: unknown;
    })
  | (ReadBase & {
      readonly type: 'failure';
      /** `failed` (for good) rather than a move back from active (failed, to be retried). */
      readonly final: boolean;
      /** The reason in the stream entry (final failures only: retries carry none). */
      readonly streamReason: string | null;
    })
  | (ReadBase & { readonly type: 'added' })
  | (ReadBase & { readonly type: 'stalled' })
  | (ReadBase & { readonly type: 'exhausted'; readonly attemptsMade: number });

/**
 * Turns BullMQ event-stream entries into pending events. It remembers when each job became active
 * (a bounded ProcessingClock), which gives processing times without a Redis read and tells an
 * attempt's failure (active → delayed/waiting) from other moves.
 */
export class StreamEventParser {
  private readonly clock: ProcessingClock;

  constructor(trackedJobs: number) {
    this.clock = new ProcessingClock(trackedJobs);
  }

  /** Was this job seen starting an attempt that has not ended yet? */
  isRunning(queueName: string, jobId: string): boolean {
    return this.clock.isRunning(queueName, jobId);
  }

  parse(queueName: string, id: string, fields: Map<string, string>): PendingEvent | null {
    const jobId = fields.get('jobId');
    if (jobId === undefined) return null;
    const at = msOf(id);
    const base = { id, queueName, jobId, at };
    const event = fields.get('event') ?? '';
    switch (event) {
      case 'added':
        return { ...base, type: 'added' };
      case 'active':
        this.clock.started(queueName, jobId, at);
        return { ...base, type: 'ready', event: { kind: 'active', queueName, jobId, at } };
      case 'progress':
        return {
          ...base,
          type: 'ready',
          event: {
            kind: 'progress',
            queueName,
            jobId,
            at,
            progress: parseJsonValue(fields.get('data')),
          },
        };
      case 'completed':
        return {
          ...base,
          type: 'completed',
          processingTime: this.clock.finished(queueName, jobId, at),
          returnValue: parseJsonValue(fields.get('returnvalue')),
        };
      case 'failed':
        this.clock.finished(queueName, jobId, at);
        return {
          ...base,
          type: 'failure',
          final: true,
          streamReason: fields.get('failedReason') ?? '',
        };
      case 'retries-exhausted': {
        const attemptsMade = Number(fields.get('attemptsMade'));
        return Number.isInteger(attemptsMade) && attemptsMade > 0
          ? { ...base, type: 'exhausted', attemptsMade }
          : null;
      }
      case 'stalled':
        return { ...base, type: 'stalled' };
      case 'delayed':
      case 'waiting': {
        // A job that goes from active back to delayed/waiting failed an attempt and will be
        // retried (BullMQ's event stream has no "failed" entry for such attempts), or stalled
        // (a `stalled` entry follows), or was moved back by its processor (rate limit,
        // moveToDelayed): attempt-attribution.ts tells which.
        if (event === 'waiting' && fields.get('prev') !== 'active') return null;
        if (!this.clock.isRunning(queueName, jobId)) return null;
        this.clock.finished(queueName, jobId, at);
        return { ...base, type: 'failure', final: false, streamReason: null };
      }
      default:
        return null;
    }
  }
}
