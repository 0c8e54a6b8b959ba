import { atLeast, type Alert, type AlertSeverity } from '../../domain/alerting/alert.js';
import type { AlertDedup } from '../ports/alert-dedup.port.js';
import type { AlertLog } from '../ports/alert-log.port.js';
import type { AlertOutbox } from '../ports/alert-outbox.port.js';
import type { Logger } from '../ports/logger.port.js';
import type { MetricsRecorder } from '../ports/metrics.port.js';

/** Which alerts a destination wants. */
export interface DestinationRoute {
  readonly name: string;
  readonly minSeverity: AlertSeverity;
  /** Only these queues; `null` for every queue. */
  readonly queues: readonly string[] | null;
}

/** How long a resolved notice stays claimed, so a late instance does not send it again. */
const resolvedClaimMs = 24 * 3_600_000;

/**
 * Turns an alert transition into notifications for the destinations that want it, sent by one
 * Queuewatch instance only: the instance that claims the transition in Redis (SET NX with a TTL)
 * queues the notifications in the durable outbox; the others stand down and adopt its incident
 * id, so the resolved notice later carries the same id whoever sends it.
 */
export class AlertDispatcher {
  constructor(
    private readonly routes: readonly DestinationRoute[],
    private readonly dedup: AlertDedup,
    private readonly outbox: AlertOutbox,
    private readonly log: AlertLog,
    private readonly metrics: MetricsRecorder,
    private readonly logger: Logger,
  ) {}

  /**
   * An incident began (or is still on after the repeat interval): returns the incident id in
   * force, ours or the one of the instance that claimed it first.
   */
  async firing(
    incidentKey: string,
    alert: Alert,
    now: number,
    repeatIntervalMs: number,
  ): Promise<string> {
    const claim = await this.dedup.claim(`${incidentKey}/firing`, alert.id, repeatIntervalMs);
    if (!claim.claimed) return claim.holder ?? alert.id;
    await this.send(`${alert.id}/firing-${String(now)}`, alert, now);
    return alert.id;
  }

  /** The incident ended: one resolved notice, whoever gets here first. */
  async resolved(incidentKey: string, alert: Alert, now: number): Promise<void> {
    const claim = await this.dedup.claim(`${alert.id}/resolved`, '1', resolvedClaimMs);
    await this.dedup.release(`${incidentKey}/firing`);
    if (claim.claimed) await this.send(`${alert.id}/resolved`, alert, now);
  }

  private async send(key: string, alert: Alert, now: number): Promise<void> {
    const destinations = this.routes.filter(
      (route) =>
        atLeast(alert.severity, route.minSeverity) &&
        (route.queues === null || route.queues.includes(alert.context.queueName)),
    );
    this.metrics.alertNotified(alert.status);
    this.logger.info('alert', {
      id: alert.id,
      status: alert.status,
      queue: alert.context.queueName,
      destinations: destinations.map((route) => route.name),
    });
    if (destinations.length === 0) return;
    await this.log.add(
      key,
      alert,
      destinations.map((route) => route.name),
      now,
    );
    await this.outbox.enqueue(
      destinations.map((route) => ({
        deliveryId: `${key}/${route.name}`,
        destination: route.name,
        alert,
      })),
    );
  }
}
