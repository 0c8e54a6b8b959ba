import type { Alert } from '../../domain/alerting/alert.js';
import type { AlertDedup } from '../ports/alert-dedup.port.js';
import type { Logger } from '../ports/logger.port.js';
import type { AlertIntake } from './alert-intake.js';
import type { DirectNotifier } from './direct-notifier.js';

/** How long a resolved notice stays claimed, so a late instance does not send it again. */
const resolvedClaimMs = 24 * 3_600_000;

/** What a claim holds: the incident id, and which dispatcher took it. */
interface ClaimValue {
  readonly incidentId: string;
  readonly owner: string | null;
}

/**
 * Hands each alert transition to the intake (firing list, routing, groups) once across
 * instances: the instance that claims the transition in Redis (SET NX with a TTL) takes it in;
 * the others stand down and adopt its incident id, so the resolved notice later carries the same id whoever sends it. Every step may be tried
 * again after a failure (Redis refused a write): a claim this dispatcher already holds is its own
 * (`owner`), and queuing the same notification twice queues it once.
 */
export class AlertDispatcher {
  constructor(
    private readonly intake: Pick<AlertIntake, 'accept'>,
    private readonly dedup: AlertDedup,
    /** Sends what cannot wait for Redis: that Redis is unreachable. */
    private readonly direct: Pick<DirectNotifier, 'notify'>,
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
    if (alert.rule === 'redis-down') {
      if (alert.notify !== false) this.direct.notify(incidentKey, alert);
      return alert.id;
    }
    const held = await this.claim(`${incidentKey}/firing`, alert.id, repeatIntervalMs);
    if (held.owner !== this.owner) return held.incidentId;
    await this.send(incidentKey, alert, now);
    return alert.id;
  }

  /** The incident ended: one resolved notice, whoever gets here first. */
  async resolved(incidentKey: string, alert: Alert, now: number): Promise<void> {
    if (alert.rule === 'redis-down') {
      if (alert.notify !== false) this.direct.notify(incidentKey, alert);
      return;
    }
    const held = await this.claim(`${alert.id}/resolved`, alert.id, resolvedClaimMs);
    if (held.owner === this.owner) await this.send(incidentKey, alert, now);
    await this.dedup.release(`${incidentKey}/firing`);
  }

  /** Claim `key` for this dispatcher, or learn who holds it. */
  private async claim(key: string, incidentId: string, ttlMs: number): Promise<ClaimValue> {
    const mine: ClaimValue = { incidentId, owner: this.owner };
    const claim = await this.dedup.claim(key, JSON.stringify(mine), ttlMs);
    if (claim.claimed) return mine;
    return claimValueOf(claim.holder, incidentId);
  }

  private async send(incidentKey: string, alert: Alert, now: number): Promise<void> {
    const routes = await this.intake.accept(incidentKey, alert, now);
    this.logger.info('alert transition', {
      id: alert.id,
      status: alert.status,
      rule: alert.rule,
      queue: alert.context.queueName,
      routes: routes.map((route) => route.id),
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
