import type { FailedJobDetails, JobEvent } from '../../domain/job-events/job-event.js';
import { ProcessingClock } from '../../domain/job-events/processing-clock.js';
import { failedJobDetails, failedJobFields, msOf, parseJsonValue } from './stream-entries.js';

/** Fields of a job hash read for some events. */
export type JobFields = Map<string, string | null>;

/** An event read, before the fields that need a job-hash lookup are filled in. */
export interface PendingEvent {
  readonly queueName: string;
  readonly jobId: string;
  readonly at: number;
  /** `laterFailures`: failed attempts of the same job read after this event in the same batch. */
  readonly build: (job: JobFields | undefined, laterFailures: number) => JobEvent | null;
  readonly lookup: readonly string[] | null;
  /** The event ends an attempt with a failure (so the job's attempt count goes up). */
  readonly failure: boolean;
}

/**
 * Turns BullMQ event-stream entries into job events. It remembers when each job became active
 * (a bounded ProcessingClock), which gives processing times without a Redis read and tells an
 * attempt's failure (active → delayed/waiting) from other moves.
 */
export class StreamEventParser {
  private readonly clock: ProcessingClock;

  constructor(trackedJobs: number) {
    this.clock = new ProcessingClock(trackedJobs);
  }

  parse(queueName: string, id: string, fields: Map<string, string>): PendingEvent | null {
    const jobId = fields.get('jobId');
    if (jobId === undefined) return null;
    const at = msOf(id);
    const base = { queueName, jobId, at };
    switch (fields.get('event') ?? '') {
      case 'active':
        this.clock.started(queueName, jobId, at);
        return {
          ...base,
          lookup: null,
          failure: false,
          build: () => ({ kind: 'active', ...base }),
        };
      case 'progress': {
        const progress = parseJsonValue(fields.get('data'));
        return {
          ...base,
          lookup: null,
          failure: false,
          build: () => ({ kind: 'progress', ...base, progress }),
        };
      }
      case 'completed': {
        const returnValue = parseJsonValue(fields.get('returnvalue'));
        const seen = this.clock.finished(queueName, jobId, at);
        return {
          ...base,
          lookup: seen === null ? ['processedOn', 'finishedOn'] : null,
          failure: false,
          build: (job) => ({
            kind: 'completed',
            ...base,
            returnValue: returnValue ?? undefined,
            processingTime: seen ?? durationOf(job),
          }),
        };
      }
      case 'failed': {
        this.clock.finished(queueName, jobId, at);
        const failedReason = fields.get('failedReason') ?? '';
        return {
          ...base,
          lookup: ['atm', ...failedJobFields],
          failure: true,
          build: (job, laterFailures) => ({
            kind: 'failed',
            ...base,
            failedReason,
            attemptsMade: attemptsAt(job, laterFailures),
            willRetry: false,
            ...detailsOf(job),
          }),
        };
      }
      case 'delayed':
      case 'waiting': {
        // A job that goes from active back to delayed/waiting failed an attempt and will be
        // retried (BullMQ's event stream has no "failed" entry for such attempts). A job moved
        // back for another reason (rate limit, moveToDelayed) has no failedReason, or keeps an
        // earlier attempt's: then it is reported as that attempt's failure.
        if (fields.get('event') === 'waiting' && fields.get('prev') !== 'active') return null;
        if (!this.clock.isRunning(queueName, jobId)) return null;
        this.clock.finished(queueName, jobId, at);
        return {
          ...base,
          lookup: ['failedReason', 'atm', ...failedJobFields],
          failure: true,
          build: (job, laterFailures) => {
            const failedReason = job?.get('failedReason');
            if (!failedReason) return null;
            return {
              kind: 'failed',
              ...base,
              failedReason,
              attemptsMade: attemptsAt(job, laterFailures),
              willRetry: true,
              ...detailsOf(job),
            };
          },
        };
      }
      default:
        return null;
    }
  }
}

/** The failed job's details read with the event, so nobody reads its hash again. */
function detailsOf(job: JobFields | undefined): { job?: FailedJobDetails | null } {
  if (!job) return {};
  return { job: failedJobDetails(job.get('name'), job.get('stacktrace'), job.get('data')) };
}

function durationOf(job: JobFields | undefined): number | null {
  const processedOn = numberOrNull(job?.get('processedOn'));
  const finishedOn = numberOrNull(job?.get('finishedOn'));
  return processedOn !== null && finishedOn !== null ? Math.max(0, finishedOn - processedOn) : null;
}

/** The job's attempt counter as it was at the event. */
function attemptsAt(job: JobFields | undefined, laterFailures: number): number | null {
  const now = numberOrNull(job?.get('atm'));
  return now === null ? null : Math.max(1, now - laterFailures);
}

function numberOrNull(text: string | null | undefined): number | null {
  if (text === null || text === undefined || text === '') return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}
