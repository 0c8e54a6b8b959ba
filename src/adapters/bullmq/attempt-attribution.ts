import type { AttemptCounter } from '../../domain/job-events/attempt-counter.js';
import type { FailedJobDetails, JobEvent } from '../../domain/job-events/job-event.js';
import { jobKey } from '../../domain/job-events/processing-clock.js';
import type { BatchLookups } from './batch-lookups.js';
import type { LaterEntry } from './failure-context-script.js';
import { parseJsonValue } from './stream-entries.js';
import type { JobFields, PendingEvent } from './stream-event-parser.js';

/** The reason a record gives when the attempt's own reason was gone before it was read. */
export const unknownReason = '(unknown: the job was removed before its failure was read)';

/** A job's attempts that ended after the batch (from the failure-context read). */
interface LaterAttempts {
  readonly ends: number;
  readonly failures: number;
}

/** What the batch's failed jobs looked like when read, by job key. */
interface JobContext {
  /** The job's hash, or `null` when the job is gone. */
  readonly fields: JobFields | null;
  readonly later: LaterAttempts;
}

/**
 * Turn a batch's pending events into job events, each failure numbered and described as of its
 * own attempt. An attempt's number comes from the attempts counted in the stream (exact for a job
 * seen from its `added` entry); for a job first seen later, from the job's attempt counter read
 * with the entries written since, taken back by the attempts that ended after this one. A retried
 * attempt's reason and stack come from the job's hash: the latest ones when no attempt failed
 * since, otherwise this attempt's entry in the job's list of stack traces.
 */
export function attributeAttempts(
  pending: readonly PendingEvent[],
  lookups: BatchLookups,
  counter: AttemptCounter,
  isRunning: (queueName: string, jobId: string) => boolean,
): JobEvent[] {
  const contexts = jobContexts(lookups, isRunning);
  const ends = pending.map((event) => endsAttempt(event, contexts));
  markStalled(pending, ends);
  const exhausted = exhaustedAttempts(pending);
  const later = laterInBatch(pending, ends);
  const events: JobEvent[] = [];
  pending.forEach((event, index) => {
    const { queueName, jobId } = event;
    switch (event.type) {
      case 'ready':
        events.push(event.event);
        return;
      case 'added':
        counter.added(queueName, jobId);
        return;
      case 'stalled':
      case 'exhausted':
        return;
      case 'completed': {
        number(event, index);
        const timing = lookups.timings.get(index);
        events.push({
          kind: 'completed',
          queueName,
          jobId,
          at: event.at,
          returnValue: event.returnValue ?? undefined,
          processingTime: event.processingTime ?? durationOf(timing),
        });
        return;
      }
      case 'failure': {
        if (!ends[index]) return;
        const context = contexts.get(jobKey(queueName, jobId));
        const attemptsMade = exhausted.get(index) ?? number(event, index);
        if (exhausted.has(index)) counter.learn(queueName, jobId, exhausted.get(index) ?? 0);
        const laterFailures = (later[index]?.failures ?? 0) + (context?.later.failures ?? 0);
        const stack = stackOf(context, laterFailures);
        events.push({
          kind: 'failed',
          queueName,
          jobId,
          at: event.at,
          eventId: event.id,
          failedReason: event.final
            ? (event.streamReason ?? '')
            : reasonOf(context, laterFailures, stack),
          attemptsMade,
          willRetry: !event.final,
          ...(context === undefined ? {} : { job: detailsOf(context.fields, stack) }),
        });
        return;
      }
    }
  });
  return events;

  /** The number of the attempt this event ends, counting it; `null` when unknown. */
  function number(event: PendingEvent, index: number): number | null {
    const { queueName, jobId } = event;
    const counted = counter.attemptEnded(queueName, jobId);
    if (counted !== null) return counted;
    const context = contexts.get(jobKey(queueName, jobId));
    const atm = numberOf(context?.fields?.get('atm'));
    if (!context || !Number.isInteger(atm)) return null;
    const attempt = atm - (later[index]?.ends ?? 0) - context.later.ends;
    if (attempt < 1) return null;
    counter.learn(queueName, jobId, attempt);
    return attempt;
  }
}

/** The failure contexts of the batch's failed jobs, by job key. */
function jobContexts(
  lookups: BatchLookups,
  isRunning: (queueName: string, jobId: string) => boolean,
): Map<string, JobContext> {
  const contexts = new Map<string, JobContext>();
  for (const [queueName, { reply, jobIds }] of lookups.failures) {
    const laterByJob = laterAttempts(reply.after, (jobId) => isRunning(queueName, jobId));
    jobIds.forEach((jobId, index) => {
      contexts.set(jobKey(queueName, jobId), {
        fields: reply.jobs[index] ?? null,
        later: laterByJob.get(jobId) ?? { ends: 0, failures: 0 },
      });
    });
  }
  return contexts;
}

/**
 * The attempts that ended after the batch, per job, read from its later entries with the rules
 * the parser follows: completed and failed end one; a move from active back to waiting or delayed
 * ends a failed one, unless a `stalled` entry says the job stalled.
 */
function laterAttempts(
  entries: readonly LaterEntry[],
  runningAtStart: (jobId: string) => boolean,
): Map<string, LaterAttempts> {
  const state = new Map<
    string,
    { running: boolean; ends: number; failures: number; lastWasMoveBack: boolean }
  >();
  for (const { jobId, event, prev } of entries) {
    let job = state.get(jobId);
    if (!job) {
      job = { running: runningAtStart(jobId), ends: 0, failures: 0, lastWasMoveBack: false };
      state.set(jobId, job);
    }
    const movedBack =
      job.running && ((event === 'waiting' && prev === 'active') || event === 'delayed');
    if (event === 'stalled' && job.lastWasMoveBack) {
      job.ends -= 1;
      job.failures -= 1;
    }
    if (event === 'completed' || event === 'failed' || movedBack) job.ends += 1;
    if (event === 'failed' || movedBack) job.failures += 1;
    if (event === 'active') job.running = true;
    else if (event === 'completed' || event === 'failed' || movedBack) job.running = false;
    job.lastWasMoveBack = movedBack;
  }
  return new Map(
    [...state].map(([jobId, { ends, failures }]) => [jobId, { ends, failures }] as const),
  );
}

/**
 * Whether each event ends an attempt. A move back from active counts when the job's hash holds a
 * failure reason (a retry writes one; a processor's own move does not) or when the job is gone.
 */
function endsAttempt(event: PendingEvent, contexts: Map<string, JobContext>): boolean {
  if (event.type === 'completed') return true;
  if (event.type !== 'failure') return false;
  if (event.final) return true;
  const context = contexts.get(jobKey(event.queueName, event.jobId));
  const fields = context?.fields;
  if (fields === undefined || fields === null) return true;
  return Boolean(fields.get('failedReason'));
}

/** A `stalled` entry right after a move back means the job stalled: no attempt ended. */
function markStalled(pending: readonly PendingEvent[], ends: boolean[]): void {
  const lastMoveBack = new Map<string, number>();
  pending.forEach((event, index) => {
    const key = jobKey(event.queueName, event.jobId);
    if (event.type === 'failure' && !event.final) lastMoveBack.set(key, index);
    else if (event.type === 'stalled') {
      const moveBack = lastMoveBack.get(key);
      if (moveBack !== undefined) ends[moveBack] = false;
      lastMoveBack.delete(key);
    } else if (event.type !== 'ready') lastMoveBack.delete(key);
  });
}

/** The attempt number a `retries-exhausted` entry gives the final failure just before it. */
function exhaustedAttempts(pending: readonly PendingEvent[]): Map<number, number> {
  const lastFinal = new Map<string, number>();
  const numbers = new Map<number, number>();
  pending.forEach((event, index) => {
    const key = jobKey(event.queueName, event.jobId);
    if (event.type === 'failure' && event.final) lastFinal.set(key, index);
    if (event.type === 'exhausted') {
      const final = lastFinal.get(key);
      if (final !== undefined) numbers.set(final, event.attemptsMade);
    }
  });
  return numbers;
}

/** For each event, the attempts of its job that ended after it in the batch. */
function laterInBatch(pending: readonly PendingEvent[], ends: readonly boolean[]): LaterAttempts[] {
  const later = new Array<LaterAttempts>(pending.length);
  const seen = new Map<string, LaterAttempts>();
  for (let index = pending.length - 1; index >= 0; index -= 1) {
    const event = pending[index];
    if (!event) continue;
    const key = jobKey(event.queueName, event.jobId);
    const after = seen.get(key) ?? { ends: 0, failures: 0 };
    later[index] = after;
    if (ends[index]) {
      seen.set(key, {
        ends: after.ends + 1,
        failures: after.failures + (event.type === 'failure' ? 1 : 0),
      });
    }
  }
  return later;
}

/** This attempt's stack trace: BullMQ appends one per failed attempt, oldest first. */
function stackOf(context: JobContext | undefined, laterFailures: number): string | null {
  const stacks = parseJsonValue(context?.fields?.get('stacktrace') ?? undefined);
  if (!Array.isArray(stacks)) return null;
  const stack: unknown = stacks[stacks.length - 1 - laterFailures];
  return typeof stack === 'string' ? stack : null;
}

/**
 * A retried attempt's reason: the job's latest when no attempt failed since, else the message at
 * the head of this attempt's stack trace (`Name: message`, up to the first `at` line).
 */
function reasonOf(
  context: JobContext | undefined,
  laterFailures: number,
  stack: string | null,
): string {
  const latest = context?.fields?.get('failedReason') ?? null;
  if (laterFailures === 0 && latest !== null) return latest;
  if (stack === null) return unknownReason;
  const head: string[] = [];
  for (const line of stack.split('\n')) {
    if (/^\s+at /.test(line)) break;
    head.push(line);
  }
  return head.join('\n').replace(/^[A-Za-z_$][\w$]*: /, '') || unknownReason;
}

function detailsOf(fields: JobFields | null, stack: string | null): FailedJobDetails | null {
  if (fields === null) return null;
  return {
    name: fields.get('name') ?? null,
    stacktrace: stack === null ? [] : stack.split('\n'),
    data: fields.get('data') ?? null,
  };
}

function durationOf(job: JobFields | undefined): number | null {
  const processedOn = numberOf(job?.get('processedOn'));
  const finishedOn = numberOf(job?.get('finishedOn'));
  return Number.isFinite(processedOn) && Number.isFinite(finishedOn)
    ? Math.max(0, finishedOn - processedOn)
    : null;
}

/** A hash field as a number; NaN when absent or empty. */
function numberOf(text: string | null | undefined): number {
  return text === null || text === undefined || text === '' ? Number.NaN : Number(text);
}
