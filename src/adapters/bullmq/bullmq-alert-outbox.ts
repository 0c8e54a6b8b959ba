import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { AlertDelivery } from '../../application/alerting/alert-delivery.js';
import type { AlertNotification, AlertOutbox } from '../../application/ports/alert-outbox.port.js';
import type { Logger } from '../../application/ports/logger.port.js';
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

/** Notifications being delivered at once; one slow destination holds one of them, not all. */
const concurrency = 16;

/**
 * The durable outbox: a BullMQ queue of Queuewatch's own, one job per notification and
 * destination (job id = delivery id, so nothing is queued twice). Retries follow the one retry
 * policy (exponential, at least the destination's Retry-After, capped); a permanent failure
 * stops at once. Jobs survive a restart, and with several instances each job runs once.
 */
export class BullmqAlertOutbox implements AlertOutbox {
  private readonly queue: Queue<AlertNotification>;
  private worker: Worker<AlertNotification> | undefined;

  constructor(
    private readonly redisUrl: string,
    private readonly queueName: string,
    private readonly prefix: string,
    private readonly policy: RetryPolicy,
    private readonly logger: Logger,
  ) {
    this.queue = new Queue<AlertNotification>(queueName, { connection: { url: redisUrl }, prefix });
    this.queue.on('error', () => undefined);
  }

  async enqueue(notifications: readonly AlertNotification[]): Promise<void> {
    await this.queue.addBulk(
      notifications.map((notification) => ({
        name: notification.destination,
        data: notification,
        opts: {
          jobId: notification.deliveryId,
          attempts: this.policy.attempts,
          backoff: { type: 'queuewatch' },
          removeOnComplete: { age: 7 * 24 * 3_600, count: 1_000 },
          removeOnFail: { age: 7 * 24 * 3_600, count: 1_000 },
        },
      })),
    );
  }

  /** Start delivering, each try through `delivery`. */
  start(delivery: Pick<AlertDelivery, 'attempt'>): void {
    this.worker = new Worker<AlertNotification>(
      this.queueName,
      async (job: Job<AlertNotification>) => {
        const attempt = job.attemptsMade + 1;
        const outcome = await delivery.attempt(job.data, attempt, attempt >= this.policy.attempts);
        if (outcome.next === 'give-up') throw new UnrecoverableError(outcome.reason);
        if (outcome.next === 'retry')
          throw new RetryableDeliveryError(outcome.reason, outcome.retryAfterMs);
      },
      {
        connection: { url: this.redisUrl },
        prefix: this.prefix,
        concurrency,
        settings: {
          backoffStrategy: (attemptsMade: number, _type?: string, error?: Error) =>
            retryDelay(
              this.policy,
              attemptsMade,
              error instanceof RetryableDeliveryError ? error.retryAfterMs : undefined,
            ),
        },
      },
    );
    this.worker.on('error', (error) => {
      this.logger.warn('alert outbox worker error', { reason: error.message });
    });
  }

  async close(): Promise<void> {
    await this.worker?.close(true);
    await this.queue.close();
  }
}
