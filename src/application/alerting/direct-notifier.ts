import type { Alert } from '../../domain/alerting/alert.js';
import { retryDelay, type RetryPolicy } from '../../domain/alerting/retry-policy.js';
import { silencesOf } from '../../domain/alerting/silence.js';
import type { Clock } from '../ports/clock.port.js';
import type { Logger } from '../ports/logger.port.js';
import type { MetricsRecorder } from '../ports/metrics.port.js';
import type { Timer } from '../ports/timer.port.js';
import type { AlertDelivery } from './alert-delivery.js';
import type { AlertIntake } from './alert-intake.js';
import type { SilenceService } from './silence-service.js';
import { reasonOf } from '../../domain/wording/reason.js';

/**
 * Sends what cannot go through Redis — that Redis is unreachable — straight from this process:
 * routed by the same tree, held back by the silences as last read, retried in memory by the one
 * retry policy, the notices of one incident in order. Without Redis the instances cannot agree,
 * so each instance that sees the outage sends its own.
 */
export class DirectNotifier {
  private readonly chains = new Map<string, Promise<void>>();
  private readonly stopping = new AbortController();

  constructor(
    private readonly intake: Pick<AlertIntake, 'routesOf'>,
    private readonly delivery: Pick<AlertDelivery, 'sendTo'>,
    private readonly silences: Pick<SilenceService, 'lastKnown'>,
    private readonly parts: {
      readonly clock: Clock;
      readonly timer: Timer;
      readonly logger: Logger;
      readonly metrics: Pick<MetricsRecorder, 'alertNotified'>;
    },
    private readonly policy: RetryPolicy,
  ) {}

  /** Send `alert` after the incident's earlier notices; never throws, never waits for Redis. */
  notify(incidentKey: string, alert: Alert): void {
    const previous = this.chains.get(incidentKey) ?? Promise.resolve();
    const next = previous
      .then(() => this.send(alert))
      .catch((error: unknown) => {
        this.parts.logger.warn('direct alert not sent', {
          id: alert.id,
          reason: reasonOf(error),
        });
      });
    this.chains.set(incidentKey, next);
  }

  /** Stop retrying; what was not delivered is dropped (and logged). */
  stop(): void {
    this.stopping.abort();
  }

  private async send(alert: Alert): Promise<void> {
    const { clock, timer, logger, metrics } = this.parts;
    const now = clock.now();
    const silencedBy = silencesOf(this.silences.lastKnown(now), alert.labels, now);
    if (silencedBy.length > 0) {
      logger.info('alert silenced', { id: alert.id, silences: silencedBy.map((s) => s.id) });
      return;
    }
    let pending = [...new Set(this.intake.routesOf(alert.labels).flatMap((r) => r.destinations))];
    if (pending.length === 0) return;
    metrics.alertNotified(alert.status);
    logger.warn('alert sent directly (Redis unreachable)', {
      id: alert.id,
      status: alert.status,
      destinations: pending,
    });
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      const results = await this.delivery.sendTo(pending, alert, attempt);
      const retry = results.filter(({ result }) => result.outcome === 'failed' && result.retryable);
      pending = retry.map(({ destination }) => destination);
      if (pending.length === 0 || attempt >= this.policy.attempts) break;
      const asked = Math.max(
        0,
        ...retry.map(({ result }) =>
          result.outcome === 'failed' ? (result.retryAfterMs ?? 0) : 0,
        ),
      );
      await timer.delay(retryDelay(this.policy, attempt, asked), this.stopping.signal);
    }
  }
}
