import type { HealthReportBody } from '../../../src/application/contract/index.js';
import { EmptyState, Loading } from '../components/empty-state.js';
import { ErrorNotice } from '../components/error-notice.js';
import { HealthPill } from '../components/health-pill.js';
import { IssueList } from '../components/issue-list.js';
import { Stat, StatGrid } from '../components/stat.js';
import { useHealth } from '../api/use-api.js';
import { useLiveRefresh } from '../hooks/use-live-refresh.js';
import { usePageTitle } from '../hooks/use-page-title.js';
import { formatCount, formatTime } from '../format/format.js';
import { QueueCard } from './queue-card.js';
import { RedisCard } from './redis-card.js';

/** `/`: the overall verdict, Redis, and one card per queue; live. */
export function OverviewPage() {
  usePageTitle('Overview');
  const { data, error, mutate } = useHealth();
  useLiveRefresh('*', () => void mutate());
  return (
    <div className="page" data-testid="overview-page">
      <div className="page__header">
        <h1>Overview</h1>
        {data && <HealthPill status={data.status} testId="overall-status" />}
      </div>
      {error && (
        <ErrorNotice
          title="Cannot read the health report"
          error={error}
          onRetry={() => void mutate()}
        />
      )}
      {!data && !error && <Loading what="the health report" />}
      {data && <Report report={data} />}
    </div>
  );
}

function Report(props: { report: HealthReportBody }) {
  const { report } = props;
  const { summary } = report;
  return (
    <>
      <section className="summary" aria-label="Summary">
        <StatGrid>
          <Stat label="Queues" value={formatCount(summary.totalQueues)} testId="summary-queues" />
          <Stat label="Healthy" value={formatCount(summary.healthyQueues)} />
          <Stat label="Degraded" value={formatCount(summary.degradedQueues)} />
          <Stat label="Unhealthy" value={formatCount(summary.unhealthyQueues)} />
          <Stat label="Waiting jobs" value={formatCount(summary.totalJobs.waiting)} />
          <Stat label="Active jobs" value={formatCount(summary.totalJobs.active)} />
          <Stat label="Completed" value={formatCount(summary.totalJobs.completed)} />
          <Stat label="Failed" value={formatCount(summary.totalJobs.failed)} />
        </StatGrid>
        <p className="muted">As of {formatTime(report.timestamp)}</p>
        <IssueList issues={report.issues} testId="overall-issues" />
      </section>
      <div className="grid">
        <RedisCard redis={report.redis} />
        {report.queues.map((queue) => (
          <QueueCard key={queue.queueName} queue={queue} />
        ))}
      </div>
      {report.queues.length === 0 && (
        <EmptyState title="No queues yet" testId="no-queues">
          Queuewatch finds BullMQ queues in this Redis by itself, or watches those named in
          QUEUEWATCH_QUEUES.
        </EmptyState>
      )}
    </>
  );
}
