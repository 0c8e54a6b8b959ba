import { useState } from 'react';
import type { TestAlertBody } from '../../../src/application/contract/index.js';
import { apiPaths } from '../api/api-paths.js';
import { requestJson } from '../api/request-json.js';
import { Button } from '../components/button.js';
import { Card } from '../components/card.js';
import { EmptyState } from '../components/empty-state.js';
import { ErrorNotice } from '../components/error-notice.js';
import { StatusPill } from '../components/status-pill.js';

/** Sends a test alert to every destination and shows what each one answered. */
export function TestAlertPanel(props: { onSent?: () => void }) {
  const [sending, setSending] = useState(false);
  const [answer, setAnswer] = useState<TestAlertBody | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const send = async () => {
    setSending(true);
    setError(null);
    try {
      setAnswer(await requestJson<TestAlertBody>(apiPaths.testAlert, { method: 'POST' }));
      props.onSent?.();
    } catch (caught) {
      setError(caught instanceof Error ? caught : new Error(String(caught)));
    } finally {
      setSending(false);
    }
  };
  return (
    <Card
      title="Test alert"
      testId="test-alert"
      actions={
        <Button busy={sending} onClick={() => void send()} data-testid="send-test-alert">
          {sending ? 'Sending…' : 'Send test alert'}
        </Button>
      }
    >
      <p className="muted">Sent to every destination at once, outside the outbox (no retries).</p>
      {error && <ErrorNotice title="The test alert was not sent" error={error} />}
      {answer?.results.length === 0 && <EmptyState title="No destination is configured" />}
      {answer && answer.results.length > 0 && (
        <ul className="results" data-testid="test-alert-results">
          {answer.results.map((result) => (
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
    </Card>
  );
}
