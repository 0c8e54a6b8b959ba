import type { AlertPort, DeliveryAttempt } from '../../../application/ports/alert.port.js';
import type { Logger } from '../../../application/ports/logger.port.js';
import type { Alert } from '../../../domain/alerting/alert.js';
import type { PostOutcome } from './post-json.js';

/**
 * One debug line per attempt. The outbox logs what it decides; this line adds what the endpoint
 * answered. The reason is already redacted, and the URL is never logged.
 */
export function logOutcome(
  logger: Logger,
  destination: AlertPort,
  alert: Alert,
  attempt: DeliveryAttempt,
  { result, status }: PostOutcome,
): void {
  logger.debug('alert destination answered', {
    destination: destination.name,
    type: destination.type,
    alertId: alert.id,
    deliveryId: attempt.id,
    attempt: attempt.attempt,
    status,
    ...result,
  });
}
