import { Link, useParams } from 'react-router-dom';
import type { QueueHealthBody } from '../../../src/application/contract/index.js';
import { useHealth, useRecentFailures } from '../api/use-api.js';
import { Card } from '../components/card.js';
import { EmptyState, Loading } from '../components/empty-state.js';
import { ErrorNotice } from '../components/error-notice.js';
import { HealthPill } from '../components/health-pill.js';
import { IssueList } from '../components/issue-list.js';
import { Stat, StatGrid } from '../components/stat.js';
import { usePageTitle } from '../hooks/use-page-title.js';
import { formatCount, formatDuration, formatPercent, formatTime } from '../format/format.js';
import { FailedJobsTable } from './failed-jobs-table.js';
import { AccessNotice } from '../components/access-notice.js';
import { QueueActions } from './queue-actions.js';
import { QueueEventFeed } from './queue-event-feed.js';
import { QueueHistoryPanel } from './queue-history-panel.js';
import { QueueJobs } from './queue-jobs.js';
import { QueueSchedulers } from './queue-schedulers.js';
import { QueueSearch } from './queue-search.js';

/** Failed jobs read to find this queue's (the endpoint has no queue filter). */
const failuresRead = 200;
/** Of those, shown. */
const failuresShown = 20;

/**
 * `/queues/:name`: one queue's counts and details, its jobs by state, a search, its schedulers,
 * the actions the token may take, recent failures and live events.
 */
export function QueuePage() {
  const name = useParams().name ?? '';
  usePageTitle(name);
  const health = useHealth();
  const failures = useRecentFailures(failuresRead);
  const queue = health.data?.queues.find((candidate) => candidate.queueName === name);
  const refresh = () => {
    void health.mutate();
    void failures.mutate();
  };
  return (
    <div className="page" data-testid="queue-page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/">Overview</Link> <span aria-hidden="true">›</span> <span>{name}</span>
      </nav>
      <div className="page__header">
        <h1>{name}</h1>
        {queue && <HealthPill status={queue.status} testId="queue-status" />}
      </div>
      {health.error && (
        <ErrorNotice title="Cannot read the queue" error={health.error} onRetry={refresh} />
      )}
      {!health.data && !health.error && <Loading what="the queue" />}
      {health.data && !queue && (
        <EmptyState
          title={`Queuewatch does not watch a queue named "${name}"`}
          testId="unknown-queue"
        >
          <Link to="/">See the watched queues</Link>
        </EmptyState>
      )}
      {queue && (
        <>
          <QueueFacts queue={queue} />
          <AccessNotice />
          <QueueActions
            queueName={name}
            paused={queue.details?.isPaused ?? null}
            onChanged={refresh}
          />
          <QueueHistoryPanel queue={name} />
          <QueueJobs queueName={name} stats={queue.stats} />
          <QueueSearch queueName={name} />
          <div className="columns columns--main-side">
            <Card title="Recent failures" testId="queue-failures">
              {failures.error && (
                <ErrorNotice title="Cannot read failures" error={failures.error} />
              )}
              {!failures.data && !failures.error && <Loading what="failures" />}
              {failures.data && <QueueFailures name={name} jobs={failures.data.jobs} />}
            </Card>
            <QueueEventFeed queueName={name} onFinished={refresh} />
          </div>
          <QueueSchedulers queueName={name} />
        </>
      )}
    </div>
  );
}

function QueueFailures(props: {
  name: string;
  jobs: Parameters<typeof FailedJobsTable>[0]['jobs'];
}) {
  const jobs = props.jobs.filter((job) => job.queueName === props.name).slice(0, failuresShown);
  if (jobs.length === 0) return <EmptyState title="No failed jobs kept for this queue" />;
  return (
    <FailedJobsTable jobs={jobs} showQueue={false} caption={`Recent failures of ${props.name}`} />
  );
}

function QueueFacts(props: { queue: QueueHealthBody }) {
  const { stats, details, issues } = props.queue;
  return (
    <div className="columns">
      <Card title="Jobs" testId="queue-counts">
        {stats ? (
          <StatGrid>
            <Stat label="Waiting" value={formatCount(stats.waiting)} testId="count-waiting" />
            <Stat label="Prioritized" value={formatCount(stats.prioritized)} />
            <Stat label="Active" value={formatCount(stats.active)} testId="count-active" />
            <Stat label="Delayed" value={formatCount(stats.delayed)} />
            <Stat label="Completed" value={formatCount(stats.completed)} testId="count-completed" />
            <Stat label="Failed" value={formatCount(stats.failed)} testId="count-failed" />
            <Stat label="Paused" value={formatCount(stats.paused)} />
            <Stat label="Waiting children" value={formatCount(stats.waitingChildren)} />
          </StatGrid>
        ) : (
          <p className="muted">The queue could not be read.</p>
        )}
        <IssueList issues={issues} testId="queue-issues" />
      </Card>
      <Card title="Details" testId="queue-details">
        {details ? (
          <StatGrid>
            <Stat label="Running" value={yesNo(details.isRunning)} />
            <Stat label="Paused" value={yesNo(details.isPaused)} />
            <Stat label="Workers" value={formatCount(details.workerCount)} />
            <Stat label="Avg processing" value={formatDuration(details.avgProcessingTime)} />
            <Stat label="Error rate" value={formatPercent(details.errorRate)} />
            <Stat
              text
              label="Finished in window"
              value={`${formatCount(details.finishedInWindow.completed)} ok / ${formatCount(details.finishedInWindow.failed)} failed`}
            />
            <Stat label="Stale jobs" value={formatCount(details.staleJobs)} />
            <Stat text label="Last job finished" value={formatTime(details.lastJobProcessed)} />
          </StatGrid>
        ) : (
          <p className="muted">No details: the queue could not be read.</p>
        )}
      </Card>
    </div>
  );
}

function yesNo(value: boolean | null): string {
  if (value === null) return 'unknown';
  return value ? 'yes' : 'no';
}
