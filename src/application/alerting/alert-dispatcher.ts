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

/** What a claim holds: the incident id, and which dispatcher took it. */
interface ClaimValue {
  readonly incidentId: string;
  readonly owner: string | null;
}

/**
 * Turns an alert transition into notifications for the destinations that want it, sent by one
 * Queuewatch instance only: the instance that claims the transition in Redis (SET NX with a TTL)
 * queues the notifications in the durable outbox; the others stand down and adopt its incident
 * id, so the resolved notice later carries the same id whoever sends it. Every step may be tried
 * again after a failure (Redis refused a write): a claim this dispatcher already holds is its own
 * (`owner`), and queuing the same notification twice queues it once.
 */
export class AlertDispatcher {
  constructor(
    private readonly routes: readonly DestinationRoute[],
    private readonly dedup: AlertDedup,
    private readonly outbox: AlertOutbox,
    private readonly log: AlertLog,
    private readonly metrics: MetricsRecorder,
    private readonly logger: Logger,
    /** Unique to this dispatcher (this process), to know its own claims again. */
    private readonly owner: string,
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
    const held = await this.claim(`${incidentKey}/firing`, alert.id, repeatIntervalMs);
    if (held.owner !== this.owner) return held.incidentId;
    await this.send(`${alert.id}/firing-${String(now)}`, alert, now);
    return alert.id;
  }

  /** The incident ended: one resolved notice, whoever gets here first. */
  async resolved(incidentKey: string, alert: Alert, now: number): Promise<void> {
    const held = await this.claim(`${alert.id}/resolved`, alert.id, resolvedClaimMs);
    if (held.owner === this.owner) await this.send(`${alert.id}/resolved`, alert, now);
    await this.dedup.release(`${incidentKey}/firing`);
  }

  /** Claim `key` for this dispatcher, or learn who holds it. */
  private async claim(key: string, incidentId: string, ttlMs: number): Promise<ClaimValue> {
    const mine: ClaimValue = { incidentId, owner: this.owner };
    const claim = await this.dedup.claim(key, JSON.stringify(mine), ttlMs);
    if (claim.claimed) return mine;
    return claimValueOf(claim.holder, incidentId);
  }

  private async send(key: string, alert: Alert, now: number): Promise<void> {
    const destinations = this.routes.filter(
      (route) =>
        atLeast(alert.severity, route.minSeverity) &&
        (route.queues === null || route.queues.includes(alert.context.queueName)),
    );
    if (destinations.length > 0) {
      await this.log.add(
        key,
        alert,
        destinations.map((route) => route.name),
        now,
      );
      await this.outbox.enqueue(
        destinations.map((route) => ({
          deliveryId: `${key}/${route.name}`,
          logKey: key,
          destination: route.name,
          alert,
        })),
      );
    }
    // Counted and logged once queued, never before.
    this.metrics.alertNotified(alert.status);
    this.logger.info('alert', {
      id: alert.id,
      status: alert.status,
      queue: alert.context.queueName,
      destinations: destinations.map((route) => route.name),
    });
  }
}

/** A claim's value; one written by an older Queuewatch holds the bare incident id. */
function claimValueOf(holder: string | null, fallback: string): ClaimValue {
  if (holder === null) return { incidentId: fallback, owner: null };
  try {
    const value = JSON.parse(holder) as Partial<ClaimValue>;
    if (typeof value.incidentId === 'string') {
      return { incidentId: value.incidentId, owner: value.owner ?? null };
    }
  } catch {
    // Not JSON: an incident id as written before claims named their owner.
  }
  return { incidentId: holder, owner: null };
}
