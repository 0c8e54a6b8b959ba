import { useMemo, useState } from 'react';
import type {
  DestinationSummary,
  FiringAlertBody,
  MatcherBody,
  SilenceBody,
} from '../../../src/application/contract/index.js';
import { useFiringAlerts, useSilences } from '../api/alerts-api.js';
import { useMay } from '../api/console-api.js';
import { useAlerts } from '../api/use-api.js';
import { AccessNotice } from '../components/access-notice.js';
import { Card } from '../components/card.js';
import { CodeBlock } from '../components/code-block.js';
import { EmptyState, Loading } from '../components/empty-state.js';
import { ErrorNotice } from '../components/error-notice.js';
import { usePageTitle } from '../hooks/use-page-title.js';
import { FiringAlerts } from './alerts-firing.js';
import { idsAsNames, type HoldNames } from './alerts-held-back.js';
import { AlertHistory } from './alerts-history.js';
import { SilencePanel, type SilenceDraft } from './silence-panel.js';
import { TestAlertPanel } from './test-alert-panel.js';

/**
 * `/alerts`: what fires now (and what holds it back), the silences and the form that creates
 * one, recent notifications with their deliveries, a test through the routing tree, and the
 * destinations. Buttons show only for what the token may do.
 */
export function AlertsPage() {
  usePageTitle('Alerts');
  const may = useMay();
  const alerts = useAlerts();
  const firing = useFiringAlerts();
  const silences = useSilences();
  const [draft, setDraft] = useState<SilenceDraft>({ version: 0, matchers: [] });
  const names = useMemo(
    () => holdNames(silences.data?.silences ?? [], firing.data?.alerts ?? []),
    [silences.data, firing.data],
  );
  const maySilence = may('silence');
  const refresh = () => {
    void alerts.mutate();
    void firing.mutate();
  };
  const silenceFrom = (labels: Readonly<Record<string, string>>) => {
    setDraft((current) => ({ version: current.version + 1, matchers: matchersOf(labels) }));
  };
  return (
    <div className="page" data-testid="alerts-page">
      <div className="page__header">
        <h1>Alerts</h1>
      </div>
      <AccessNotice />
      <Card title="Firing now" testId="firing-alerts">
        {firing.error && (
          <ErrorNotice
            title="Cannot read the firing alerts"
            error={firing.error}
            onRetry={() => void firing.mutate()}
          />
        )}
        {!firing.data && !firing.error && <Loading what="firing alerts" />}
        {firing.data &&
          (firing.data.alerts.length === 0 ? (
            <EmptyState title="Nothing is firing" testId="nothing-firing">
              Every rule is within its thresholds.
            </EmptyState>
          ) : (
            <FiringAlerts
              alerts={firing.data.alerts}
              names={names}
              now={Date.now()}
              onSilence={maySilence ? silenceFrom : undefined}
            />
          ))}
      </Card>
      <SilencePanel maySilence={maySilence} draft={draft} onChanged={refresh} />
      <Card title="History" testId="recent-alerts">
        {alerts.error && (
          <ErrorNotice
            title="Cannot read alerts"
            error={alerts.error}
            onRetry={() => void alerts.mutate()}
          />
        )}
        {!alerts.data && !alerts.error && <Loading what="alerts" />}
        {alerts.data &&
          (alerts.data.alerts.length === 0 ? (
            <EmptyState title="No alerts yet" testId="no-alerts">
              An alert fires when a rule's threshold is crossed, and resolves when it is back within
              it.
            </EmptyState>
          ) : (
            <AlertHistory records={alerts.data.alerts} names={names} />
          ))}
      </Card>
      <div className="columns">
        {may('test-alert') && <TestAlertPanel onSent={() => void alerts.mutate()} />}
        {alerts.data && <Destinations destinations={alerts.data.destinations} />}
      </div>
    </div>
  );
}

/**
 * A silence named by its comment, an inhibiting alert by its rule and queue; an id that is not
 * (or no longer) listed stays an id.
 */
function holdNames(
  silences: readonly SilenceBody[],
  firing: readonly FiringAlertBody[],
): HoldNames {
  if (silences.length === 0 && firing.length === 0) return idsAsNames;
  const comments = new Map(silences.map((silence) => [silence.id, `“${silence.comment}”`]));
  const alerts = new Map(
    firing.map(({ alert }) => [
      alert.id,
      `${alert.rule} on ${alert.labels.queue ?? alert.context.queueName}`,
    ]),
  );
  return {
    silence: (id) => comments.get(id) ?? id,
    alert: (id) => alerts.get(id) ?? id,
  };
}

/**
 * A firing alert's labels as `=` matchers for a new silence, its rule and queue first. Severity
 * is left out: it can change while the same alert fires, and the silence should hold through it.
 */
function matchersOf(labels: Readonly<Record<string, string>>): MatcherBody[] {
  const first = ['rule', 'queue'];
  const names = Object.keys(labels)
    .filter((name) => name !== 'severity')
    .sort((a, b) => {
      const rank = (name: string) => (first.includes(name) ? first.indexOf(name) : first.length);
      return rank(a) - rank(b) || a.localeCompare(b);
    });
  return names.map((label) => ({ label, op: '=', value: labels[label] ?? '' }));
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
