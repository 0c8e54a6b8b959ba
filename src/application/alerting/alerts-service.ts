import type { Alert } from '../../domain/alerting/alert.js';
import type { AlertsBody, DestinationSummary, TestAlertBody } from '../contract/alerts.js';
import type { AlertLog } from '../ports/alert-log.port.js';
import type { Clock } from '../ports/clock.port.js';
import type { AlertDelivery } from './alert-delivery.js';

/** Recent alerts with their deliveries, the destinations, and the test alert. */
export class AlertsService {
  constructor(
    private readonly log: AlertLog,
    private readonly delivery: Pick<AlertDelivery, 'sendTest'>,
    private readonly destinations: readonly DestinationSummary[],
    private readonly clock: Clock,
  ) {}

  async recent(limit: number): Promise<AlertsBody> {
    return { alerts: await this.log.recent(limit), destinations: this.destinations };
  }

  /** Send a test alert to every destination now and report each result. */
  async sendTest(): Promise<TestAlertBody> {
    const now = this.clock.now();
    const alert: Alert = {
      id: `test/${String(now)}`,
      status: 'firing',
      severity: 'low',
      title: 'Queuewatch test alert',
      message: 'This is a test alert from Queuewatch: this destination is set up correctly.',
      rule: 'test',
      labels: { rule: 'test', severity: 'low' },
      values: {},
      link: '/alerts',
      context: { queueName: 'test' },
      startsAt: new Date(now).toISOString(),
    };
    const results = await this.delivery.sendTest(alert);
    return {
      alert,
      routes: null,
      results: results.map(({ destination, type, result }) =>
        result.outcome === 'delivered'
          ? { destination, type, outcome: 'delivered' }
          : {
              destination,
              type,
              outcome: 'failed',
              retryable: result.retryable,
              reason: result.reason,
            },
      ),
    };
  }
}
