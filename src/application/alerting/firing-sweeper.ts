import type { Alert } from '../../domain/alerting/alert.js';
import type { Clock } from '../ports/clock.port.js';
import type { FiringAlerts } from '../ports/firing-alerts.port.js';
import type { Logger } from '../ports/logger.port.js';
import type { AlertDispatcher } from './alert-dispatcher.js';

/**
 * Ends the firing alerts no instance stands behind any more. While an alert fires, the instance
 * that holds it takes it in again at every repeat interval; one not taken in for two repeat
 * intervals and a minute is left over (the instance that fired it stopped while it cleared, its
 * queue is no longer watched, its rule was removed) and is resolved through the dispatcher, once
 * across instances — so it neither stays listed nor inhibits others for ever.
 */
export class FiringSweeper {
  constructor(
    private readonly firing: Pick<FiringAlerts, 'all'>,
    private readonly dispatcher: Pick<AlertDispatcher, 'resolved'>,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly repeatIntervalMs: number,
  ) {}

  /** Resolve the left-over firing alerts; returns their incident keys. */
  async sweep(): Promise<string[]> {
    const now = this.clock.now();
    const staleBefore = now - (2 * this.repeatIntervalMs + 60_000);
    const stale = (await this.firing.all()).filter((entry) => entry.seenAt < staleBefore);
    for (const entry of stale) {
      const resolved: Alert = {
        ...entry.alert,
        status: 'resolved',
        endsAt: new Date(now).toISOString(),
      };
      this.logger.warn('a firing alert no instance has confirmed since is resolved', {
        id: entry.alert.id,
        seenAt: new Date(entry.seenAt).toISOString(),
      });
      await this.dispatcher.resolved(entry.incidentKey, resolved, now);
    }
    return stale.map((entry) => entry.incidentKey);
  }
}
