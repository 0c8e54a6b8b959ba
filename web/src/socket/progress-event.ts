import type {
  CustomProgressPayload,
  JobCompletedPayload,
  JobFailedPayload,
  JobProgressPayload,
} from '../../../src/application/contract/index.js';

/** One event of the gateway, tagged with its name. */
export type ProgressEvent =
  | { readonly type: 'job-progress'; readonly payload: JobProgressPayload }
  | { readonly type: 'job-completed'; readonly payload: JobCompletedPayload }
  | { readonly type: 'job-failed'; readonly payload: JobFailedPayload }
  | { readonly type: 'custom-progress'; readonly payload: CustomProgressPayload };

/** A subscription the gateway understands: one job (in one queue or any), or a whole queue. */
export type Subscription =
  | { readonly kind: 'job'; readonly jobId: string; readonly queueName?: string }
  | { readonly kind: 'queue'; readonly queueName: string };

/** A stable identity for a subscription (job ids and queue names may hold any character). */
export function subscriptionKey(subscription: Subscription): string {
  return subscription.kind === 'job'
    ? JSON.stringify(['job', subscription.queueName ?? null, subscription.jobId])
    : JSON.stringify(['queue', subscription.queueName]);
}

/** Does the event concern this subscription? */
export function matches(subscription: Subscription, event: ProgressEvent): boolean {
  const { jobId, queueName } = event.payload;
  if (subscription.kind === 'queue') {
    return subscription.queueName === '*' || subscription.queueName === queueName;
  }
  return (
    subscription.jobId === jobId &&
    (subscription.queueName === undefined || subscription.queueName === queueName)
  );
}
