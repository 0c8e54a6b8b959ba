import type { JobStatusBody } from '../../../src/application/contract/index.js';
import type { ProgressEvent } from './progress-event.js';

/**
 * The events a polled job status stands for: its progress, then its completion or final failure.
 * A job that failed but will be retried is waiting or delayed, so `failed` here is final.
 */
export function eventsFromStatus(status: JobStatusBody, now: number): ProgressEvent[] {
  const { id: jobId, queueName } = status;
  const at = status.finishedOn ?? now;
  const events: ProgressEvent[] = [
    {
      type: 'job-progress',
      payload: { jobId, queueName, progress: status.progress, timestamp: now },
    },
  ];
  if (status.state === 'completed') {
    events.push({
      type: 'job-completed',
      payload: { jobId, queueName, processingTime: status.processingTime, timestamp: at },
    });
  } else if (status.state === 'failed') {
    events.push({
      type: 'job-failed',
      payload: {
        jobId,
        queueName,
        failedReason: status.failedReason ?? 'failed without a reason',
        attemptsMade: status.attemptsMade,
        willRetry: false,
        timestamp: at,
      },
    });
  }
  return events;
}
