import { Link } from 'react-router-dom';
import type { ActionOutcome, AuditEntry } from '../../../src/application/contract/index.js';
import { useAudit } from '../api/console-api.js';
import { Card } from '../components/card.js';
import { EmptyState, Loading } from '../components/empty-state.js';
import { ErrorNotice } from '../components/error-notice.js';
import { StatusPill, type Tone } from '../components/status-pill.js';
import { Table } from '../components/table.js';
import { formatCount, formatTime } from '../format/format.js';
import { usePageTitle } from '../hooks/use-page-title.js';
import { pagePaths } from '../page-paths.js';

/** Entries read. */
const auditShown = 200;

const outcomeTones: Readonly<Record<ActionOutcome['status'], Tone>> = {
  done: 'ok',
  refused: 'warn',
  failed: 'bad',
  cancelled: 'neutral',
};

function outcomeText(outcome: ActionOutcome): string {
  switch (outcome.status) {
    case 'done':
      return `done (${formatCount(outcome.count)})`;
    case 'cancelled':
      return `cancelled after ${formatCount(outcome.count)}`;
    case 'refused':
      return `refused: ${outcome.reason}`;
    case 'failed':
      return `failed: ${outcome.reason}`;
  }
}

function Target(props: { entry: AuditEntry }) {
  const { entry } = props;
  const queue = entry.queueName;
  return (
    <>
      {entry.jobIds.map((id) => (
        <span key={id} className="audit__job">
          {queue === null ? (
            <code>{id}</code>
          ) : (
            <Link to={pagePaths.job(queue, id)}>
              <code>{id}</code>
            </Link>
          )}{' '}
        </span>
      ))}
      {entry.filter && <code className="muted">{JSON.stringify(entry.filter)}</code>}
    </>
  );
}

/** `/audit`: every change made through Queuewatch, newest first: who, what, where, how it ended. */
export function AuditPage() {
  usePageTitle('Audit');
  const { data, error, mutate } = useAudit(auditShown);
  return (
    <div className="page" data-testid="audit-page">
      <h1>Audit</h1>
      <Card title="Changes, newest first" testId="audit">
        {error && (
          <ErrorNotice
            title="Cannot read the audit trail"
            error={error}
            onRetry={() => void mutate()}
          />
        )}
        {!data && !error && <Loading what="the audit trail" />}
        {data?.entries.length === 0 && <EmptyState title="Nothing was changed yet" />}
        {data && data.entries.length > 0 && (
          <Table
            caption="Audit trail"
            headers={['When', 'Who', 'Role', 'Action', 'Queue', 'Jobs or filter', 'Outcome']}
            testId="audit-table"
          >
            {data.entries.map((entry) => (
              <tr key={entry.id} data-testid="audit-row" data-action={entry.action}>
                <td className="nowrap">{formatTime(entry.at)}</td>
                <td>{entry.who}</td>
                <td>{entry.role}</td>
                <td>
                  <code>{entry.action}</code>
                </td>
                <td>
                  {entry.queueName === null ? (
                    '—'
                  ) : (
                    <Link to={pagePaths.queue(entry.queueName)}>{entry.queueName}</Link>
                  )}
                </td>
                <td>
                  <Target entry={entry} />
                </td>
                <td>
                  <StatusPill
                    tone={outcomeTones[entry.outcome.status]}
                    label={outcomeText(entry.outcome)}
                  />
                </td>
              </tr>
            ))}
          </Table>
        )}
      </Card>
    </div>
  );
}
