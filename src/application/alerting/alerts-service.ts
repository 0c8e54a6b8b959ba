import {
  alertSeverities,
  baseLabels,
  type Alert,
  type AlertSeverity,
} from '../../domain/alerting/alert.js';
import { inhibitorsOf, type InhibitRule } from '../../domain/alerting/inhibition.js';
import { silencesOf } from '../../domain/alerting/silence.js';
import type {
  AlertsBody,
  DestinationSummary,
  FiringAlertsBody,
  TestAlertBody,
} from '../contract/alerts.js';
import type { AlertLog } from '../ports/alert-log.port.js';
import type { Clock } from '../ports/clock.port.js';
import type { FiringAlerts } from '../ports/firing-alerts.port.js';
import type { AlertDelivery } from './alert-delivery.js';
import type { AlertIntake } from './alert-intake.js';
import type { SilenceService } from './silence-service.js';

/** What the alerts service reads and sends through. */
export interface AlertsServiceParts {
  readonly log: AlertLog;
  readonly delivery: Pick<AlertDelivery, 'sendTest' | 'sendTo'>;
  readonly intake: Pick<AlertIntake, 'routesOf'>;
  readonly firing: Pick<FiringAlerts, 'all'>;
  readonly silences: Pick<SilenceService, 'active'>;
  readonly inhibitRules: readonly InhibitRule[];
  readonly clock: Clock;
}

/** Labels a test alert may be given, to try a route. */
export type TestLabels = Readonly<Record<string, string>>;

/** Recent alerts, the firing ones, the destinations, and the test alert. */
export class AlertsService {
  constructor(
    private readonly parts: AlertsServiceParts,
    private readonly destinations: readonly DestinationSummary[],
  ) {}

  async recent(limit: number): Promise<AlertsBody> {
    return { alerts: await this.parts.log.recent(limit), destinations: this.destinations };
  }

  /** Every firing alert, most urgent first, with what holds it back now. */
  async firing(): Promise<FiringAlertsBody> {
    const now = this.parts.clock.now();
    const [entries, silences] = await Promise.all([
      this.parts.firing.all(),
      this.parts.silences.active(now),
    ]);
    const sources = entries.map((entry) => ({ id: entry.incidentKey, labels: entry.alert.labels }));
    const alerts = entries
      .map((entry) => ({
        alert: entry.alert,
        silencedBy: silencesOf(silences, entry.alert.labels, now).map((silence) => silence.id),
        inhibitedBy: inhibitorsOf(this.parts.inhibitRules, sources, {
          id: entry.incidentKey,
          labels: entry.alert.labels,
        }),
      }))
      .sort(
        (a, b) =>
          alertSeverities.indexOf(a.alert.severity) - alertSeverities.indexOf(b.alert.severity) ||
          a.alert.startsAt.localeCompare(b.alert.startsAt),
      );
    return { alerts };
  }

  /**
   * Send a test alert now and report each result: with `labels`, through the routing tree to the
   * destinations its routes name; without, to every destination.
   */
  async sendTest(labels?: TestLabels): Promise<TestAlertBody> {
    const now = this.parts.clock.now();
    const severity = (labels?.severity ?? 'low') as AlertSeverity;
    const queue = labels?.queue ?? null;
    const alert: Alert = {
      id: `test/${String(now)}`,
      status: 'firing',
      severity,
      title: 'Queuewatch test alert',
      message:
        labels === undefined
          ? 'This is a test alert from Queuewatch: this destination is set up correctly.'
          : `This is a test alert from Queuewatch, routed with ${Object.entries(labels)
              .map(([name, value]) => `${name}=${value}`)
              .join(', ')}.`,
      rule: 'test',
      labels: { ...labels, ...baseLabels('test', severity, queue), rule: labels?.rule ?? 'test' },
      values: {},
      link: '/alerts',
      context: { queueName: queue ?? 'test' },
      startsAt: new Date(now).toISOString(),
    };
    if (labels === undefined) {
      return {
        alert,
        routes: null,
        results: (await this.parts.delivery.sendTest(alert)).map(resultOf),
      };
    }
    const routes = this.parts.intake.routesOf(alert.labels);
    const names = [...new Set(routes.flatMap((route) => route.destinations))];
    const results = await this.parts.delivery.sendTo(names, alert, 1);
    return {
      alert,
      routes: routes.map((route) => ({ route: route.id, destinations: route.destinations })),
      results: results.map(resultOf),
    };
  }
}

function resultOf({
  destination,
  type,
  result,
}: Awaited<ReturnType<AlertDelivery['sendTo']>>[number]): TestAlertBody['results'][number] {
  return result.outcome === 'delivered'
    ? { destination, type, outcome: 'delivered' }
    : { destination, type, outcome: 'failed', retryable: result.retryable, reason: result.reason };
}
