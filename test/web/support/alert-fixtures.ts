import type {
  Alert,
  AlertRecord,
  AlertsBody,
  FiringAlertBody,
  SilenceBody,
} from '../../../src/application/contract/index.js';

/** A failure-rate alert on `queue`, firing since 9:00 (UTC) on 30 November 2026. */
export function failureAlert(queue: string, overrides: Partial<Alert> = {}): Alert {
  return {
    id: `failure-rate:${queue}:1`,
    status: 'firing',
    severity: 'high',
    title: 'High Failure Rate Detected',
    message: `Queue ${queue} has 12 failures in the last 5 minutes`,
    rule: 'failure-rate',
    labels: { rule: 'failure-rate', severity: 'high', queue, team: 'billing' },
    values: {
      failures: 12,
      completed: 40,
      failureRate: 0.2308,
      threshold: 10,
      rateThreshold: null,
      windowMs: 300_000,
    },
    link: `/queues/${queue}`,
    context: { queueName: queue, failureCount: 12, threshold: 10, windowMs: 300_000 },
    startsAt: '2026-11-30T09:00:00.000Z',
    ...overrides,
  };
}

/** A firing alert as `GET /api/v1/alerts/firing` lists it. */
export function firing(alert: Alert, held: Partial<FiringAlertBody> = {}): FiringAlertBody {
  return { alert, silencedBy: [], inhibitedBy: [], ...held };
}

/** A silence of `queue`, active until 10:00. */
export function silence(id: string, overrides: Partial<SilenceBody> = {}): SilenceBody {
  return {
    id,
    matchers: [{ label: 'queue', op: '=', value: 'payments' }],
    startsAt: '2026-11-30T09:00:00.000Z',
    endsAt: '2026-11-30T10:00:00.000Z',
    comment: 'provider outage INC-7',
    createdBy: 'operator-token',
    createdAt: '2026-11-30T09:00:00.000Z',
    status: 'active',
    ...overrides,
  };
}

/** The history with one delivered notification, one grouped one and one held back. */
export function history(): AlertsBody {
  const delivered: AlertRecord = {
    key: 'failure-rate:orders:1:firing',
    alert: failureAlert('orders'),
    deliveries: [
      {
        destination: 'ops-webhook',
        state: 'delivered',
        attempts: 1,
        lastError: null,
        updatedAt: '2026-11-30T09:00:01.000Z',
      },
    ],
  };
  const members = [failureAlert('payments'), failureAlert('refunds', { id: 'failure-rate:r:1' })];
  const grouped: AlertRecord = {
    key: 'group-1:firing',
    alert: {
      ...failureAlert('payments, refunds'),
      id: 'group-1',
      title: 'failure-rate alerts: 2 firing',
      values: { firing: 2, resolved: 0 },
      alerts: members,
    },
    deliveries: [],
  };
  const suppressed: AlertRecord = {
    key: 'failure-rate:payments:2:firing',
    alert: failureAlert('payments', { id: 'failure-rate:payments:2' }),
    deliveries: [],
    suppressed: { silencedBy: ['s-1'], inhibitedBy: [] },
  };
  return {
    alerts: [suppressed, grouped, delivered],
    destinations: [
      { name: 'ops-webhook', type: 'webhook', minSeverity: 'low', queues: null, options: {} },
    ],
  };
}
