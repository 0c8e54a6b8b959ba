import type { Alert, AlertRecord } from '../../../src/application/contract/index.js';
import { StatusPill } from '../components/status-pill.js';
import { Table } from '../components/table.js';
import { formatTime } from '../format/format.js';
import { HeldBack, type HoldNames } from './alerts-held-back.js';
import { AlertLink } from './alerts-link.js';
import { deliveryTones, severityTones } from './alerts-tones.js';
import { AlertValues } from './alerts-values.js';

/**
 * Recent notifications, newest first: each with its deliveries per destination, or, when it was
 * silenced or inhibited, what held it back (it was recorded, and sent nowhere). A grouped
 * notification lists the alerts it carried.
 */
export function AlertHistory(props: { records: readonly AlertRecord[]; names: HoldNames }) {
  return (
    <Table
      caption="Recent alerts, newest first"
      headers={['Started', 'Severity', 'Status', 'Alert', 'Deliveries']}
    >
      {props.records.map(({ key, alert, deliveries, suppressed }) => (
        <tr
          key={key}
          data-testid="alert-row"
          data-rule={alert.rule}
          data-queue={alert.labels.queue ?? alert.context.queueName}
          data-suppressed={suppressed ? 'true' : 'false'}
        >
          <td className="nowrap">{formatTime(alert.startsAt)}</td>
          <td>
            <StatusPill tone={severityTones[alert.severity]} label={alert.severity} />
          </td>
          <td>
            <StatusPill tone={alert.status === 'firing' ? 'bad' : 'ok'} label={alert.status} />
          </td>
          <td>
            <strong>{alert.title}</strong>
            <div className="muted alert-message">{alert.message}</div>
            {alert.alerts && alert.alerts.length > 1 ? (
              <GroupMembers members={alert.alerts} />
            ) : (
              <AlertValues values={alert.values} />
            )}
            {alert.link !== null && <AlertLink link={alert.link} label="Details" />}
          </td>
          <td>
            {suppressed ? (
              <>
                <HeldBack
                  silencedBy={suppressed.silencedBy}
                  inhibitedBy={suppressed.inhibitedBy}
                  names={props.names}
                />
                <div className="muted">recorded, not sent</div>
              </>
            ) : (
              <Deliveries deliveries={deliveries} />
            )}
          </td>
        </tr>
      ))}
    </Table>
  );
}

/** One alert as a grouped notification lists it. */
type MemberAlert = NonNullable<Alert['alerts']>[number];

function GroupMembers(props: { members: readonly MemberAlert[] }) {
  return (
    <ul className="group-members" aria-label="Alerts in this notification">
      {props.members.map((member) => (
        <li key={`${member.id}:${member.status}`} data-testid="group-member">
          <StatusPill tone={member.status === 'firing' ? 'bad' : 'ok'} label={member.status} />{' '}
          <strong>{member.rule}</strong> on {member.context.queueName}: {member.title}
          <AlertValues values={member.values} />
        </li>
      ))}
    </ul>
  );
}

function Deliveries(props: { deliveries: AlertRecord['deliveries'] }) {
  if (props.deliveries.length === 0) return <span className="muted">no destination</span>;
  return (
    <ul className="deliveries">
      {props.deliveries.map((delivery) => (
        <li key={delivery.destination} title={delivery.lastError ?? undefined}>
          <StatusPill tone={deliveryTones[delivery.state]} label={delivery.state} />
          {delivery.destination}
          <span className="muted"> ×{delivery.attempts}</span>
          {delivery.lastError && <div className="reason">{delivery.lastError}</div>}
        </li>
      ))}
    </ul>
  );
}
