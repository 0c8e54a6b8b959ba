import type {
  AlertRecord,
  DeliveryStatus,
  DestinationSummary,
} from '../../../src/application/contract/index.js';
import { useAlerts } from '../api/use-api.js';
import { Card } from '../components/card.js';
import { EmptyState, Loading } from '../components/empty-state.js';
import { ErrorNotice } from '../components/error-notice.js';
import { StatusPill, type Tone } from '../components/status-pill.js';
import { Table } from '../components/table.js';
import { usePageTitle } from '../hooks/use-page-title.js';
import { formatTime } from '../format/format.js';
import { TestAlertPanel } from './test-alert-panel.js';
import { CodeBlock } from '../components/code-block.js';

const deliveryTones: Record<DeliveryStatus['state'], Tone> = {
  delivered: 'ok',
  pending: 'neutral',
  retrying: 'warn',
  failed: 'bad',
};

const severityTones: Record<AlertRecord['alert']['severity'], Tone> = {
  critical: 'bad',
  high: 'bad',
  medium: 'warn',
  low: 'info',
};

/** `/alerts`: recent alerts with their delivery per destination, the destinations, a test. */
export function AlertsPage() {
  usePageTitle('Alerts');
  const { data, error, mutate } = useAlerts();
  return (
    <div className="page" data-testid="alerts-page">
      <div className="page__header">
        <h1>Alerts</h1>
      </div>
      {error && (
        <ErrorNotice title="Cannot read alerts" error={error} onRetry={() => void mutate()} />
      )}
      {!data && !error && <Loading what="alerts" />}
      <div className="columns">
        <TestAlertPanel onSent={() => void mutate()} />
        {data && <Destinations destinations={data.destinations} />}
      </div>
      {data && (
        <Card title="Recent alerts" testId="recent-alerts">
          {data.alerts.length === 0 ? (
            <EmptyState title="No alerts yet" testId="no-alerts">
              An alert fires when a queue's failures reach its threshold, and resolves when they
              fall.
            </EmptyState>
          ) : (
            <AlertTable alerts={data.alerts} />
          )}
        </Card>
      )}
    </div>
  );
}

function AlertTable(props: { alerts: readonly AlertRecord[] }) {
  return (
    <Table
      caption="Recent alerts, newest first"
      headers={['Started', 'Severity', 'Status', 'Alert', 'Deliveries']}
    >
      {props.alerts.map(({ key, alert, deliveries }) => (
        <tr key={key} data-testid="alert-row">
          <td className="nowrap">{formatTime(alert.startsAt)}</td>
          <td>
            <StatusPill tone={severityTones[alert.severity]} label={alert.severity} />
          </td>
          <td>
            <StatusPill tone={alert.status === 'firing' ? 'bad' : 'ok'} label={alert.status} />
          </td>
          <td>
            <strong>{alert.title}</strong>
            <div className="muted">{alert.message}</div>
          </td>
          <td>
            <ul className="deliveries">
              {deliveries.map((delivery) => (
                <li key={delivery.destination} title={delivery.lastError ?? undefined}>
                  <StatusPill tone={deliveryTones[delivery.state]} label={delivery.state} />
                  {delivery.destination}
                  <span className="muted"> ×{delivery.attempts}</span>
                  {delivery.lastError && <div className="reason">{delivery.lastError}</div>}
                </li>
              ))}
            </ul>
          </td>
        </tr>
      ))}
    </Table>
  );
}

function Destinations(props: { destinations: readonly DestinationSummary[] }) {
  return (
    <Card title="Destinations" testId="destinations">
      {props.destinations.length === 0 ? (
        <EmptyState title="No destination is configured">
          Add them under <code>alerts.destinations</code> in the config file.
        </EmptyState>
      ) : (
        <ul className="destinations">
          {props.destinations.map((destination) => (
            <li key={destination.name} data-testid="destination">
              <strong>{destination.name}</strong> <span className="muted">{destination.type}</span>
              <div className="muted">
                from {destination.minSeverity} ·{' '}
                {destination.queues ? destination.queues.join(', ') : 'every queue'}
              </div>
              {Object.keys(destination.options).length > 0 && (
                <CodeBlock label={`Options of ${destination.name}`}>
                  {JSON.stringify(destination.options, null, 2)}
                </CodeBlock>
              )}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
