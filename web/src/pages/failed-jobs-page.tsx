import type { FailedJobStatsBody } from '../../../src/application/contract/index.js';
import { useFailedStats, useRecentFailures } from '../api/use-api.js';
import { Card } from '../components/card.js';
import { EmptyState, Loading } from '../components/empty-state.js';
import { ErrorNotice } from '../components/error-notice.js';
import { Stat, StatGrid } from '../components/stat.js';
import { StatusPill } from '../components/status-pill.js';
import { Table } from '../components/table.js';
import { usePageTitle } from '../hooks/use-page-title.js';
import { formatCount, formatDuration, formatPercent, formatTime } from '../format/format.js';
import { FailedJobsTable } from './failed-jobs-table.js';

/** Failures listed on the page. */
const recentLimit = 50;

/** `/failed`: the dead-letter queue, each queue's failure window, and the recent failures. */
export function FailedJobsPage() {
  usePageTitle('Failed jobs');
  const stats = useFailedStats();
  const recent = useRecentFailures(recentLimit);
  return (
    <div className="page" data-testid="failed-page">
      <div className="page__header">
        <h1>Failed jobs</h1>
      </div>
      {stats.error && (
        <ErrorNotice
          title="Cannot read failure stats"
          error={stats.error}
          onRetry={() => void stats.mutate()}
        />
      )}
      {!stats.data && !stats.error && <Loading what="failure stats" />}
      {stats.data && <FailureStats stats={stats.data} />}
      <Card title="Recent failures" testId="recent-failures">
        {recent.error && (
          <ErrorNotice
            title="Cannot read recent failures"
            error={recent.error}
            onRetry={() => void recent.mutate()}
          />
        )}
        {!recent.data && !recent.error && <Loading what="recent failures" />}
        {recent.data?.jobs.length === 0 && (
          <EmptyState title="No failed jobs" testId="no-failures">
            Jobs that fail are kept here for investigation, with their reason and stack trace.
          </EmptyState>
        )}
        {recent.data && recent.data.jobs.length > 0 && (
          <FailedJobsTable jobs={recent.data.jobs} caption="Recent failed jobs, newest first" />
        )}
      </Card>
    </div>
  );
}

function FailureStats(props: { stats: FailedJobStatsBody }) {
  const { deadLetterQueue, monitoredQueues } = props.stats;
  return (
    <div className="columns">
      <Card title="Dead-letter queue" testId="dead-letter-card">
        <StatGrid>
          <Stat text label="Queue" value={deadLetterQueue.queueName} />
          <Stat
            label="Records"
            value={formatCount(deadLetterQueue.size)}
            testId="dead-letter-size"
          />
          <Stat text label="Oldest" value={formatTime(deadLetterQueue.oldestFailedAt)} />
          <Stat text label="Newest" value={formatTime(deadLetterQueue.newestFailedAt)} />
        </StatGrid>
      </Card>
      <Card title="Failures per queue" testId="failure-windows">
        {monitoredQueues.length === 0 ? (
          <EmptyState title="No queues are monitored" />
        ) : (
          <Table
            caption="Failures in each queue's window"
            headers={[
              'Queue',
              'Priority',
              'Failed / limit',
              'Failure rate',
              'Alert',
              'Last failure',
            ]}
          >
            {monitoredQueues.map((queue) => (
              <tr key={queue.queueName} data-testid="failure-window-row">
                <td>{queue.queueName}</td>
                <td>{queue.priority}</td>
                <td title={`in ${formatDuration(queue.window.windowMs)}`}>
                  {formatCount(queue.window.failed)} / {formatCount(queue.threshold.count)}
                </td>
                <td>{formatPercent(queue.window.failureRate)}</td>
                <td>
                  {queue.alert.status === 'firing' ? (
                    <StatusPill
                      tone="bad"
                      label={
                        queue.alert.notification === 'pending' ? 'firing, notice pending' : 'firing'
                      }
                      title={
                        queue.alert.notification === 'pending'
                          ? `since ${formatTime(queue.alert.since)}; Redis has not taken the notice yet: it is kept and retried`
                          : `since ${formatTime(queue.alert.since)}`
                      }
                    />
                  ) : (
                    <StatusPill tone="ok" label="ok" />
                  )}
                </td>
                <td className="reason">
                  {queue.lastFailure
                    ? `${queue.lastFailure.error} (${formatTime(queue.lastFailure.at)})`
                    : '—'}
                </td>
              </tr>
            ))}
          </Table>
        )}
      </Card>
    </div>
  );
}
