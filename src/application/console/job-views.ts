import type { FlowNode, JobSummary, JsonText, ListableState } from '../contract/console.js';
import type { FlowRecord, JobRecord, TextHead } from '../ports/job-browser.port.js';
import type { JobState } from '../queues/job-status.js';
import { cutText } from '../../domain/console/json-text.js';
import { processingTimeOf, waitTimeOf } from '../../domain/console/job-timings.js';

/** The most of a failure reason a list row carries; the detail has it whole (up to 64 KB). */
const rowReasonChars = 4_096;

/** The state a job of a listed state is in (`paused` holds jobs waiting in a paused queue). */
export function stateOfListed(state: ListableState): JobState {
  return state === 'paused' ? 'waiting' : state;
}

/** A list row from what the reader read. */
export function summaryOf(
  queueName: string,
  state: JobState,
  job: JobRecord,
  reasonChars = rowReasonChars,
): JobSummary {
  return {
    id: job.id,
    queueName,
    name: job.name ?? '',
    state,
    progress: job.progress,
    attemptsMade: job.attemptsMade,
    attemptsAllowed: job.attemptsAllowed,
    createdAt: job.createdAt,
    processedOn: job.processedOn,
    finishedOn: job.finishedOn,
    waitTime: waitTimeOf(job),
    processingTime: processingTimeOf(job),
    failedReason: job.failedReason === null ? null : job.failedReason.slice(0, reasonChars),
  };
}

/** A job's JSON as shown: cut at 64 KB, the raw text when it is not JSON. */
export function jsonTextOf(text: TextHead | null): JsonText {
  if (text === null) return { text: '', bytes: 0, truncated: false };
  return cutText(text.head, text.bytes);
}

/** A parent or child of a job as the detail shows it (one level: its own children are not read). */
export function flowNodeOf(record: FlowRecord): FlowNode {
  return {
    queueName: record.queueName,
    id: record.id,
    name: record.name,
    state: record.state,
    children: [],
  };
}
