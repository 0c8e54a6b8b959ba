import { useId, useState, type SubmitEvent } from 'react';
import type { Alert, TestAlertBody } from '../../../src/application/contract/index.js';
import { sendTestAlert } from '../api/alerts-api.js';
import { useQueueList } from '../api/use-api.js';
import { Button } from '../components/button.js';
import { Card } from '../components/card.js';
import { EmptyState } from '../components/empty-state.js';
import { ErrorNotice } from '../components/error-notice.js';
import { StatusPill } from '../components/status-pill.js';

const severities: readonly Alert['severity'][] = ['critical', 'high', 'medium', 'low'];

/**
 * "Test this route": sends a test alert, outside the outbox (no retries). With a queue, a rule or
 * a severity it goes through the routing tree with those labels and reaches only the destinations
 * of the routes it matches, which are shown; without, it goes to every destination. Each
 * destination's answer is shown.
 */
export function TestAlertPanel(props: { onSent?: () => void }) {
  const id = useId();
  const queues = useQueueList();
  const [queue, setQueue] = useState('');
  const [rule, setRule] = useState('');
  const [severity, setSeverity] = useState('');
  const [sending, setSending] = useState(false);
  const [answer, setAnswer] = useState<TestAlertBody | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const send = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const labels = Object.fromEntries(
      Object.entries({ queue: queue.trim(), rule: rule.trim(), severity }).filter(
        ([, value]) => value !== '',
      ),
    );
    setSending(true);
    setError(null);
    try {
      setAnswer(await sendTestAlert(Object.keys(labels).length > 0 ? labels : undefined));
      props.onSent?.();
    } catch (caught) {
      setError(caught instanceof Error ? caught : new Error(String(caught)));
    } finally {
      setSending(false);
    }
  };
  return (
    <Card title="Test this route" testId="test-alert">
      <p className="muted">
        Leave the labels empty to send to every destination; fill them to see which routes an alert
        with those labels takes. Sent at once, outside the outbox (no retries).
      </p>
      <form className="form" onSubmit={(event) => void send(event)} data-testid="test-alert-form">
        <div className="form__field">
          <label htmlFor={`${id}-queue`}>Queue (optional)</label>
          <input
            id={`${id}-queue`}
            list={`${id}-queues`}
            value={queue}
            onChange={(event) => {
              setQueue(event.target.value);
            }}
            data-testid="test-alert-queue"
          />
          <datalist id={`${id}-queues`}>
            {queues.data?.queues.map((item) => (
              <option key={item.name} value={item.name} />
            ))}
          </datalist>
        </div>
        <div className="form__field">
          <label htmlFor={`${id}-rule`}>Rule (optional)</label>
          <input
            id={`${id}-rule`}
            placeholder="failure-rate"
            value={rule}
            onChange={(event) => {
              setRule(event.target.value);
            }}
            data-testid="test-alert-rule"
          />
        </div>
        <div className="form__field">
          <label htmlFor={`${id}-severity`}>Severity (optional)</label>
          <select
            id={`${id}-severity`}
            value={severity}
            onChange={(event) => {
              setSeverity(event.target.value);
            }}
            data-testid="test-alert-severity"
          >
            <option value="">any</option>
            {severities.map((item) => (
              <option key={item} value={item}>
                {item}
              </option>
            ))}
          </select>
        </div>
        <div className="form__field">
          <Button type="submit" busy={sending} data-testid="send-test-alert">
            {sending ? 'Sending…' : 'Send test alert'}
          </Button>
        </div>
      </form>
      {error && <ErrorNotice title="The test alert was not sent" error={error} />}
      {answer && <TestAnswer answer={answer} />}
    </Card>
  );
}

function TestAnswer(props: { answer: TestAlertBody }) {
  const { results } = props.answer;
  // A Queuewatch from before the routing tree answers without `routes`: read as "no labels".
  const routes = props.answer.routes ?? null;
  return (
    <div className="test-answer" data-testid="test-alert-answer">
      {routes !== null && (
        <>
          <h3>Matched routes</h3>
          {routes.length === 0 ? (
            <p className="muted" data-testid="test-alert-no-route">
              No route matched these labels: such an alert goes nowhere.
            </p>
          ) : (
            <ul className="results" data-testid="test-alert-routes">
              {routes.map((route) => (
                <li key={route.route} data-testid="test-alert-route">
                  <strong>{route.route}</strong>{' '}
                  <span className="muted">
                    →{' '}
                    {route.destinations.length > 0
                      ? route.destinations.join(', ')
                      : 'no destination'}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      <h3>Destinations</h3>
      {results.length === 0 ? (
        <EmptyState title="No destination was sent to" testId="test-alert-no-destination" />
      ) : (
        <ul className="results" data-testid="test-alert-results">
          {results.map((result) => (
            <li key={result.destination} data-testid="test-alert-result">
              <StatusPill
                tone={result.outcome === 'delivered' ? 'ok' : 'bad'}
                label={result.outcome}
              />
              <strong>{result.destination}</strong> <span className="muted">({result.type})</span>
              {result.reason && <span className="reason"> {result.reason}</span>}
              {result.retryable !== undefined && (
                <span className="muted"> {result.retryable ? 'retryable' : 'not retryable'}</span>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
