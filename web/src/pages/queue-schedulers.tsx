import { Link } from 'react-router-dom';
import { useSchedulers } from '../api/console-api.js';
import { Card } from '../components/card.js';
import { EmptyState, Loading } from '../components/empty-state.js';
import { ErrorNotice } from '../components/error-notice.js';
import { Table } from '../components/table.js';
import { formatCount, formatDuration, formatTime } from '../format/format.js';
import { pagePaths } from '../page-paths.js';

/** The queue's job schedulers and repeatable jobs: how they repeat, when next, the last job. */
export function QueueSchedulers(props: { queueName: string }) {
  const { data, error } = useSchedulers(props.queueName);
  return (
    <Card title="Schedulers" testId="queue-schedulers">
      {error && <ErrorNotice title="Cannot read the schedulers" error={error} />}
      {!data && !error && <Loading what="the schedulers" />}
      {data?.schedulers.length === 0 && <EmptyState title="No schedulers or repeatable jobs" />}
      {data && data.schedulers.length > 0 && (
        <Table
          caption={`Schedulers of ${props.queueName}`}
          headers={['Id', 'Name', 'Repeats', 'Next run', 'Runs', 'Last job']}
          testId="schedulers-table"
        >
          {data.schedulers.map((scheduler) => (
            <tr key={scheduler.id}>
              <td>
                <code>{scheduler.id}</code>
              </td>
              <td>{scheduler.name ?? '—'}</td>
              <td className="nowrap">
                {scheduler.pattern !== null ? (
                  <code>{scheduler.pattern}</code>
                ) : (
                  `every ${formatDuration(scheduler.every)}`
                )}
                {scheduler.timezone && <span className="muted"> ({scheduler.timezone})</span>}
              </td>
              <td className="nowrap">{formatTime(scheduler.next)}</td>
              <td>{formatCount(scheduler.iterations)}</td>
              <td>
                {scheduler.lastJobId === null ? (
                  '—'
                ) : (
                  <Link to={pagePaths.job(props.queueName, scheduler.lastJobId)}>
                    <code>{scheduler.lastJobId}</code>
                  </Link>
                )}
              </td>
            </tr>
          ))}
        </Table>
      )}
    </Card>
  );
}
