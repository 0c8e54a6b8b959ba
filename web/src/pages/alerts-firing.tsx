import type { FiringAlertBody } from '../../../src/application/contract/index.js';
import { Button } from '../components/button.js';
import { StatusPill } from '../components/status-pill.js';
import { Table } from '../components/table.js';
import { formatTime, formatUptime } from '../format/format.js';
import { severityTones } from './alerts-tones.js';
import { AlertLink } from './alerts-link.js';
import { HeldBack, type HoldNames } from './alerts-held-back.js';
import { AlertValues } from './alerts-values.js';

/**
 * The alerts firing now, one row per rule and queue: how urgent, since when, the values that
 * tripped it, whether a silence or another alert holds it back, and a "Silence…" button that
 * fills the silence form with its labels (`onSilence`, given only to those who may silence).
 */
export function FiringAlerts(props: {
  alerts: readonly FiringAlertBody[];
  names: HoldNames;
  now: number;
  onSilence?: ((labels: Readonly<Record<string, string>>) => void) | undefined;
}) {
  const onSilence = props.onSilence;
  const headers = ['Alert', 'Queue', 'Severity', 'Since', 'Values', 'Held back', 'Details'];
  return (
    <Table
      caption="Alerts firing now, most urgent first"
      headers={onSilence ? [...headers, 'Actions'] : headers}
      testId="firing-table"
    >
      {props.alerts.map(({ alert, silencedBy, inhibitedBy }) => {
        const queue = alert.labels.queue ?? alert.context.queueName;
        return (
          <tr
            key={alert.id}
            data-testid="firing-row"
            data-rule={alert.rule}
            data-queue={queue}
            data-held-back={silencedBy.length + inhibitedBy.length > 0 ? 'true' : 'false'}
          >
            <td>
              <strong>{alert.title}</strong>
              <div className="muted">{alert.rule}</div>
            </td>
            <td className="cell-name">{queue}</td>
            <td>
              <StatusPill tone={severityTones[alert.severity]} label={alert.severity} />
            </td>
            <td className="nowrap">
              <time dateTime={alert.startsAt}>{formatTime(alert.startsAt)}</time>
              <div className="muted">
                for {formatUptime(Math.max(0, (props.now - Date.parse(alert.startsAt)) / 1_000))}
              </div>
            </td>
            <td>
              <AlertValues values={alert.values} />
            </td>
            <td>
              {silencedBy.length + inhibitedBy.length > 0 ? (
                <HeldBack silencedBy={silencedBy} inhibitedBy={inhibitedBy} names={props.names} />
              ) : (
                <span className="muted">no, notified</span>
              )}
            </td>
            <td>
              <AlertLink link={alert.link} label={`Open ${queue}`} />
            </td>
            {onSilence && (
              <td>
                <Button
                  variant="secondary"
                  onClick={() => {
                    onSilence(alert.labels);
                  }}
                  aria-label={`Silence ${alert.rule} on ${queue}…`}
                  data-testid="silence-alert"
                >
                  Silence…
                </Button>
              </td>
            )}
          </tr>
        );
      })}
    </Table>
  );
}
