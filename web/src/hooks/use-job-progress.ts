import { useCallback, useEffect, useId, useRef, useState } from 'react';
import useSWR from 'swr';
import type {
  CustomProgressPayload,
  JobCompletedPayload,
  JobFailedPayload,
  JobProgressPayload,
  JobStatusBody,
} from '../../../src/application/contract/index.js';
import { apiPaths } from '../api/api-paths.js';
import { requestJson } from '../api/request-json.js';
import { DeliveryLog } from '../socket/delivery-log.js';
import { eventsFromStatus } from '../socket/events-from-status.js';
import type { ConnectionState, ProgressLease } from '../socket/progress-connection.js';
import { useProgressConnection } from '../socket/progress-connection-context.js';
import {
  matches,
  subscriptionKey,
  type ProgressEvent,
  type Subscription,
} from '../socket/progress-event.js';

/**
 * How often each subscribed job is read from `GET /api/v1/queues/:queue/jobs/:id` while the socket
 * is down: once a second keeps a progress bar moving without loading the server.
 */
export const jobPollIntervalMs = 1_000;

/** The hook's callbacks, plus the polling interval (tests shorten it). */
export interface UseJobProgressOptions {
  onJobProgress?: (data: JobProgressPayload) => void;
  onJobCompleted?: (data: JobCompletedPayload) => void;
  onJobFailed?: (data: JobFailedPayload) => void;
  onCustomProgress?: (data: CustomProgressPayload) => void;
  pollIntervalMs?: number;
}

/** What the hook gives a page. */
export interface UseJobProgressResult {
  readonly isConnected: boolean;
  readonly error: string | null;
  /** Follow a job; without `queueName` the id in any queue (pushed only: polling needs a queue). */
  readonly subscribeToJob: (jobId: string, queueName?: string) => void;
  readonly unsubscribeFromJob: (jobId: string, queueName?: string) => void;
  /** Stop following every job of this hook (unmounting does it too, and gives the socket back). */
  readonly cleanup: () => void;
}

type JobSubscription = Extract<Subscription, { kind: 'job' }>;
type PolledJob = JobSubscription & { readonly queueName: string };

interface PollResult {
  readonly mark: number;
  readonly statuses: readonly JobStatusBody[];
}

const isPolled = (subscription: JobSubscription): subscription is PolledJob =>
  subscription.queueName !== undefined;

const readJob = (job: PolledJob) =>
  requestJson<JobStatusBody>(apiPaths.job(job.queueName, job.jobId));

/**
 * Live progress of jobs: pushed through the page's shared socket while it is up, polled with SWR
 * while it is down, each state change delivered once. Subscriptions survive reconnects.
 */
export function useJobProgress(options: UseJobProgressOptions = {}): UseJobProgressResult {
  const connection = useProgressConnection();
  const instance = useId();
  const callbacks = useRef(options);
  useEffect(() => {
    callbacks.current = options;
  });
  const [state, setState] = useState<ConnectionState>(() => connection.state);
  const [jobs, setJobs] = useState<readonly JobSubscription[]>([]);
  const [log] = useState(() => new DeliveryLog());
  const subscriptions = useRef(new Map<string, JobSubscription>());
  const lease = useRef<ProgressLease | null>(null);
  const connected = useRef(state.connected);
  connected.current = state.connected;

  const deliver = useCallback((event: ProgressEvent) => {
    const current = callbacks.current;
    switch (event.type) {
      case 'job-progress':
        current.onJobProgress?.(event.payload);
        break;
      case 'job-completed':
        current.onJobCompleted?.(event.payload);
        break;
      case 'job-failed':
        current.onJobFailed?.(event.payload);
        break;
      case 'custom-progress':
        current.onCustomProgress?.(event.payload);
        break;
    }
  }, []);

  const deliverPolled = useCallback(
    (statuses: readonly JobStatusBody[], mark: number) => {
      for (const status of statuses) {
        for (const event of eventsFromStatus(status, Date.now())) {
          if (isFollowed(subscriptions.current, event) && log.acceptPolled(event, mark)) {
            deliver(event);
          }
        }
      }
    },
    [deliver, log],
  );

  useEffect(() => {
    const held = connection.acquire({
      onState: setState,
      onEvent: (event) => {
        if (isFollowed(subscriptions.current, event) && log.acceptPushed(event)) deliver(event);
      },
      // Events between the last poll (or the submission) and this subscription were not pushed.
      onSubscribed: (subscription) => {
        if (subscription.kind !== 'job' || !isPolled(subscription)) return;
        const mark = log.mark();
        readJob(subscription).then(
          (status) => {
            if (lease.current === held) deliverPolled([status], mark);
          },
          () => undefined,
        );
      },
    });
    lease.current = held;
    setState(connection.state);
    for (const subscription of subscriptions.current.values()) held.subscribe(subscription);
    return () => {
      lease.current = null;
      held.release();
    };
  }, [connection, deliver, deliverPolled, log]);

  const polled = state.connected ? [] : jobs.filter(isPolled);
  const { data } = useSWR<PollResult>(
    polled.length === 0
      ? null
      : ['queuewatch/job-poll', instance, ...polled.map((job) => subscriptionKey(job))],
    async () => {
      const mark = log.mark();
      const reads = await Promise.allSettled(polled.map(readJob));
      // A job the queue does not hold (yet, or any more) is simply not reported.
      const statuses = reads.flatMap((read) => (read.status === 'fulfilled' ? [read.value] : []));
      return { mark, statuses };
    },
    {
      refreshInterval: options.pollIntervalMs ?? jobPollIntervalMs,
      dedupingInterval: 0,
      revalidateOnFocus: false,
      revalidateOnReconnect: false,
      shouldRetryOnError: false,
    },
  );
  useEffect(() => {
    if (data && !connected.current) deliverPolled(data.statuses, data.mark);
  }, [data, deliverPolled]);

  const subscribeToJob = useCallback((jobId: string, queueName?: string) => {
    const subscription: JobSubscription =
      queueName === undefined ? { kind: 'job', jobId } : { kind: 'job', jobId, queueName };
    const key = subscriptionKey(subscription);
    if (subscriptions.current.has(key)) return;
    subscriptions.current.set(key, subscription);
    lease.current?.subscribe(subscription);
    setJobs([...subscriptions.current.values()]);
  }, []);

  const unsubscribeFromJob = useCallback(
    (jobId: string, queueName?: string) => {
      const subscription: JobSubscription =
        queueName === undefined ? { kind: 'job', jobId } : { kind: 'job', jobId, queueName };
      if (!subscriptions.current.delete(subscriptionKey(subscription))) return;
      lease.current?.unsubscribe(subscription);
      log.forget(jobId, queueName);
      setJobs([...subscriptions.current.values()]);
    },
    [log],
  );

  const cleanup = useCallback(() => {
    for (const subscription of subscriptions.current.values()) {
      lease.current?.unsubscribe(subscription);
      log.forget(subscription.jobId, subscription.queueName);
    }
    subscriptions.current.clear();
    setJobs([]);
  }, [log]);

  return {
    isConnected: state.connected,
    error: state.error,
    subscribeToJob,
    unsubscribeFromJob,
    cleanup,
  };
}

function isFollowed(subscriptions: Map<string, JobSubscription>, event: ProgressEvent): boolean {
  for (const subscription of subscriptions.values()) {
    if (matches(subscription, event)) return true;
  }
  return false;
}
