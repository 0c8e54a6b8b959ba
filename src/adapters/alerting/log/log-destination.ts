import { z } from 'zod';
import type {
  AlertPort,
  DeliveryAttempt,
  DeliveryResult,
} from '../../../application/ports/alert.port.js';
import type { Logger } from '../../../application/ports/logger.port.js';
import type { Alert } from '../../../domain/alerting/alert.js';
import type { DestinationFactory } from '../destination-factory.js';
import { parseOptions } from '../parse-options.js';

/** The `log` destination takes no options; `{}` or nothing at all. */
const logOptions = z.object({}).strict().optional();

/** Type `log`: the alert as a log line, warn when firing and info when resolved. */
export const createLogDestination: DestinationFactory = (name, options, deps) => {
  parseOptions(logOptions, name, options);
  return new LogDestination(name, deps.logger);
};

class LogDestination implements AlertPort {
  readonly type = 'log';

  constructor(
    readonly name: string,
    private readonly logger: Logger,
  ) {}

  send(alert: Alert, attempt: DeliveryAttempt): Promise<DeliveryResult> {
    const context = {
      destination: this.name,
      deliveryId: attempt.id,
      attempt: attempt.attempt,
      alertId: alert.id,
      status: alert.status,
      severity: alert.severity,
      message: alert.message,
      rule: alert.rule,
      queue: alert.context.queueName,
      ...(alert.context.failureCount === undefined
        ? {}
        : {
            failureCount: alert.context.failureCount,
            threshold: alert.context.threshold,
            windowMs: alert.context.windowMs,
            recentJobId: alert.context.recentJobId,
            error: alert.context.error,
          }),
      values: alert.values,
      ...(alert.alerts && alert.alerts.length > 1
        ? {
            alerts: alert.alerts.map((member) => ({
              id: member.id,
              status: member.status,
              title: member.title,
            })),
          }
        : {}),
      startsAt: alert.startsAt,
      ...(alert.endsAt === undefined ? {} : { endsAt: alert.endsAt }),
    };
    if (alert.status === 'firing') this.logger.warn(`alert firing: ${alert.title}`, context);
    else this.logger.info(`alert resolved: ${alert.title}`, context);
    return Promise.resolve({ outcome: 'delivered' });
  }
}
