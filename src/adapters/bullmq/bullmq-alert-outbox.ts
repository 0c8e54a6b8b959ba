import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import type { RedisClient } from './redis-topology.js';
import type {
  AlertNotification,
  AlertOutbox,
  NotificationDelivery,
} from '../../application/ports/alert-outbox.port.js';
import { finishedAlertJobsKept, type BullmqAlertJobs } from './alert-jobs.js';
import { retryDelay, type RetryPolicy } from '../../domain/alerting/retry-policy.js';

/** A try that may succeed later; carries the destination's Retry-After to the backoff. */
class RetryableDeliveryError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number | undefined,
  ) {
    super(message);
    this.name = 'RetryableDeliveryError';
  }
}

/** How long the order of an incident's notifications is kept (as long as finished jobs). */
const keptForMs = 7 * 24 * 3_600_000;

/** How often a notification waiting for an earlier one of its incident looks again (ms). */
const orderPollMs = 1_000;

/** Add a delivery id to the end of an incident's order list unless it is there already. */
const pushOnceScript = `
if redis.call('LPOS', KEYS[1], ARGV[1]) == false then
  redis.call('RPUSH', KEYS[1], ARGV[1])
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`;

interface WithPushOnce {
  queuewatchPushOnce(key: string, id: string, ttlMs: string): Promise<unknown>;
}

/**
 * The durable outbox: one job per notification and destination in the alert work queue (job id =
 * delivery id, so nothing is queued twice). Retries follow the one retry
 * policy (exponential, at least the destination's Retry-After, capped); a permanent failure
 * stops at once. Jobs survive a restart, and with several instances each job runs once.
 *
 * Order: each incident and destination has a list of its delivery ids in the order they were
 * queued. A notification whose list holds an earlier one that is not finished (delivered or given
 * up) is put back for a second, without using up an attempt: a resolved notice waits for its
 * firing one.
 */
export class BullmqAlertOutbox implements AlertOutbox {
  /** `connection`: Queuewatch's connection for short commands (they time out). */
  constructor(
    private readonly connection: RedisClient,
    private readonly jobs: BullmqAlertJobs,
    private readonly policy: RetryPolicy,
  ) {
    connection.defineCommand('queuewatchPushOnce', { numberOfKeys: 1, lua: pushOnceScript });
  }

  async enqueue(notifications: readonly AlertNotification[]): Promise<void> {
    const pipeline = this.connection.pipeline();
    for (const notification of notifications) {
      void (pipeline as unknown as WithPushOnce).queuewatchPushOnce(
        this.orderKey(notification),
        notification.deliveryId,
        String(keptForMs),
      );
    }
    const replies = (await pipeline.exec()) ?? [];
    const failed = replies.find(([error]) => error !== null);
    if (failed?.[0]) throw failed[0];
    await this.jobs.queue.addBulk(
      notifications.map((notification) => ({
        name: notification.destination,
        data: notification,
        opts: {
          jobId: jobIdOf(notification.deliveryId),
          attempts: this.policy.attempts,
          backoff: { type: 'queuewatch' },
          removeOnComplete: finishedAlertJobsKept,
          removeOnFail: finishedAlertJobsKept,
        },
      })),
    );
  }

  start(delivery: NotificationDelivery): void {
    this.jobs.handle('notification', {
      run: async (job: Job<AlertNotification>, token?: string) => {
        if (await this.waitsForEarlier(job)) {
          // BullMQ schedules on the machine's clock, so the delay is taken from it too.
          await job.moveToDelayed(Date.now() + orderPollMs, token);
          throw new DelayedError();
        }
        const attempt = job.attemptsMade + 1;
        const outcome = await delivery.attempt(job.data, attempt, attempt >= this.policy.attempts);
        if (outcome.next !== 'retry') await this.finished(job);
        if (outcome.next === 'give-up') throw new UnrecoverableError(outcome.reason);
        if (outcome.next === 'retry')
          throw new RetryableDeliveryError(outcome.reason, outcome.retryAfterMs);
      },
      backoff: (attemptsMade, error) =>
        retryDelay(
          this.policy,
          attemptsMade,
          error instanceof RetryableDeliveryError ? error.retryAfterMs : undefined,
        ),
    });
  }

  /**
   * Stop taking notifications and let the ones under way finish (so none is sent twice by the
   * instance that takes over), for at most the work queue's close timeout; the rest stay queued
   * for the others.
   */
  close(): Promise<void> {
    return this.jobs.close();
  }

  /** Is an earlier notification of the same incident to the same destination still unfinished? */
  private async waitsForEarlier(job: Job<AlertNotification>): Promise<boolean> {
    const key = this.orderKey(job.data);
    const ids = await this.connection.lrange(key, 0, -1);
    const mine = ids.indexOf(job.data.deliveryId);
    for (const earlier of mine < 0 ? [] : ids.slice(0, mine)) {
      const state = await this.jobs.queue.getJobState(jobIdOf(earlier));
      if (state !== 'completed' && state !== 'failed' && state !== 'unknown') return true;
      // Finished (or gone): it no longer holds anyone up.
      await this.connection.lrem(key, 1, earlier);
    }
    return false;
  }

  /** Take a finished notification off its incident's order list (a lost update is harmless). */
  private async finished(job: Job<AlertNotification>): Promise<void> {
    try {
      await this.connection.lrem(this.orderKey(job.data), 1, job.data.deliveryId);
    } catch {
      // The next notification of the incident finds it finished by its state instead.
    }
  }

  private orderKey(notification: AlertNotification): string {
    return this.jobs.queue.toKey(`order:${notification.alert.id}:${notification.destination}`);
  }
}

/** BullMQ refuses a job id with `:`; a delivery id may hold one (a label value), escaped here. */
function jobIdOf(deliveryId: string): string {
  return deliveryId.replaceAll('%', '%25').replaceAll(':', '%3A');
}
