import { useState } from 'react';
import { Button } from '../components/button.js';
import { Card } from '../components/card.js';
import { EmptyState, Loading } from '../components/empty-state.js';
import { ErrorNotice } from '../components/error-notice.js';
import { formatCount } from '../format/format.js';
import { logPageSize, useJobLogs } from '../hooks/use-job-logs.js';

/** A job's `job.log()` lines, a page at a time, numbered; new lines appear as they are written. */
export function JobLogs(props: { queueName: string; jobId: string }) {
  const [offset, setOffset] = useState(0);
  const logs = useJobLogs(props.queueName, props.jobId, offset);
  const last = Math.min(logs.total, offset + logPageSize);
  return (
    <Card
      title="Logs"
      testId="job-logs"
      actions={
        <span className="muted" data-testid="logs-live">
          {logs.live ? 'live' : 'read every 2 s'}
        </span>
      }
    >
      {logs.error && <ErrorNotice title="Cannot read the log" error={logs.error} />}
      {logs.refusal && <p className="hint">Not followed live: {logs.refusal}</p>}
      {logs.loading && <Loading what="the log" />}
      {!logs.loading && logs.total === 0 && <EmptyState title="The job wrote no log lines" />}
      {logs.lines.length > 0 && (
        <ol
          className="log-lines"
          start={offset + 1}
          tabIndex={0}
          aria-label={`Log lines ${String(offset + 1)} to ${String(last)}`}
          data-testid="log-lines"
        >
          {logs.lines.map((line) => (
            <li key={line.index}>{line.text}</li>
          ))}
        </ol>
      )}
      {logs.total > logPageSize && (
        <nav className="pager" aria-label="Pages of the log">
          <Button
            variant="secondary"
            disabled={offset === 0}
            onClick={() => {
              setOffset(Math.max(0, offset - logPageSize));
            }}
          >
            ← Earlier
          </Button>
          <span>
            Lines {formatCount(offset + 1)}–{formatCount(last)} of {formatCount(logs.total)}
          </span>
          <Button
            variant="secondary"
            disabled={offset + logPageSize >= logs.total}
            onClick={() => {
              setOffset(offset + logPageSize);
            }}
            data-testid="logs-later"
          >
            Later →
          </Button>
        </nav>
      )}
    </Card>
  );
}
