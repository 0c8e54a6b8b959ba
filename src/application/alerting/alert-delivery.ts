import type { Alert } from '../../domain/alerting/alert.js';
import type { AlertPort, DeliveryResult } from '../ports/alert.port.js';
import type { AlertLog } from '../ports/alert-log.port.js';
import type {
  AlertNotification,
  AttemptOutcome,
  NotificationDelivery,
} from '../ports/alert-outbox.port.js';
import type { Clock } from '../ports/clock.port.js';
import type { Logger } from '../ports/logger.port.js';
import type { MetricsRecorder } from '../ports/metrics.port.js';
import { reasonOf } from '../../domain/wording/reason.js';

/**
 * Runs one delivery try through the destination, records where the notification stands (for
 * `GET /api/v1/alerts`) and says whether to retry. The outbox owns when: this never waits.
 */
export class AlertDelivery implements NotificationDelivery {
  private readonly byName: ReadonlyMap<string, AlertPort>;

  constructor(
    destinations: readonly AlertPort[],
    private readonly log: AlertLog,
    private readonly metrics: MetricsRecorder,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.byName = new Map(destinations.map((destination) => [destination.name, destination]));
  }

  async attempt(
    notification: AlertNotification,
    attempt: number,
    lastAttempt: boolean,
  ): Promise<AttemptOutcome> {
    const destination = this.byName.get(notification.destination);
    const result: DeliveryResult = destination
      ? await safeSend(destination, notification.alert, { id: notification.deliveryId, attempt })
      : {
          outcome: 'failed',
          retryable: false,
          reason: `destination "${notification.destination}" is no longer configured`,
        };
    const state =
      result.outcome === 'delivered'
        ? 'delivered'
        : result.retryable && !lastAttempt
          ? 'retrying'
          : 'failed';
    const reason = result.outcome === 'failed' ? result.reason : null;
    await this.log.update(notification.logKey, {
      destination: notification.destination,
      state,
      attempts: attempt,
      lastError: reason,
      updatedAt: new Date(this.clock.now()).toISOString(),
    });
    this.metrics.deliveryFinished(
      notification.destination,
      state === 'delivered' ? 'delivered' : state,
    );
    if (result.outcome === 'delivered') return { next: 'done' };
    if (state === 'failed') {
      this.logger.warn('alert delivery failed for good', {
        destination: notification.destination,
        alert: notification.alert.id,
        attempts: attempt,
        reason: result.reason,
      });
      return { next: 'give-up', reason: result.reason };
    }
    return {
      next: 'retry',
      reason: result.reason,
      ...(result.retryAfterMs === undefined ? {} : { retryAfterMs: result.retryAfterMs }),
    };
  }

  /** Send `alert` to the named destinations now, outside the outbox, and report each result. */
  async sendTo(
    names: readonly string[],
    alert: Alert,
    attempt: number,
  ): Promise<{ destination: string; type: string; result: DeliveryResult }[]> {
    return Promise.all(
      names.map(async (name) => {
        const destination = this.byName.get(name);
        if (!destination) {
          return {
            destination: name,
            type: 'unknown',
            result: {
              outcome: 'failed',
              retryable: false,
              reason: `destination "${name}" is not configured`,
            } as const,
          };
        }
        return {
          destination: name,
          type: destination.type,
          result: await safeSend(destination, alert, { id: `${alert.id}/${name}`, attempt }),
        };
      }),
    );
  }

  /** Send a test alert to every destination now, outside the outbox, and report each result. */
  async sendTest(
    alert: Alert,
  ): Promise<{ destination: string; type: string; result: DeliveryResult }[]> {
    return Promise.all(
      [...this.byName.values()].map(async (destination) => ({
        destination: destination.name,
        type: destination.type,
        result: await safeSend(destination, alert, {
          id: `${alert.id}/${destination.name}`,
          attempt: 1,
        }),
      })),
    );
  }
}

/** A destination that throws despite the contract is a retryable failure, not a crash. */
async function safeSend(
  destination: AlertPort,
  alert: Alert,
  attempt: { id: string; attempt: number },
): Promise<DeliveryResult> {
  try {
    return await destination.send(alert, attempt);
  } catch (error) {
    return {
      outcome: 'failed',
      retryable: true,
      reason: `destination threw: ${reasonOf(error)}`,
    };
  }
}
