import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import type { JobDetailBody } from '../../../src/application/contract/index.js';
import { useJobDetail } from '../api/console-api.js';
import { AccessNotice } from '../components/access-notice.js';
import { Card } from '../components/card.js';
import { EmptyState, Loading } from '../components/empty-state.js';
import { ErrorNotice } from '../components/error-notice.js';
import { JobStatePill } from '../components/job-state-pill.js';
import { JsonView } from '../components/json-view.js';
import { ProgressBar } from '../components/progress-bar.js';
import { Stat, StatGrid } from '../components/stat.js';
import { WebSocketStatus } from '../components/web-socket-status.js';
import { formatDuration, formatTime } from '../format/format.js';
import { progressPercent } from '../format/progress-percent.js';
import { useJobProgress } from '../hooks/use-job-progress.js';
import { usePageTitle } from '../hooks/use-page-title.js';
import { pagePaths } from '../page-paths.js';
import { JobActions } from './job-actions.js';
import { JobDeadLetters } from './job-dead-letters.js';
import { JobFlow } from './job-flow.js';
import { JobLogs } from './job-logs.js';
import { progressText } from './job-summary-table.js';

/**
 * `/queues/:name/jobs/:id`: everything about one job, live. Its state and progress come through
 * the progress socket (polled only while it is down), and the details are read again on each
 * change of state.
 */
export function JobPage() {
  const params = useParams();
  const queueName = params.name ?? '';
  const jobId = params.id ?? '';
  usePageTitle(`Job ${jobId} · ${queueName}`);
  const detail = useJobDetail(queueName, jobId);
  const [liveProgress, setLiveProgress] = useState<unknown>(undefined);
  const reread = () => void detail.mutate();
  const progress = useJobProgress({
    onJobProgress: (event) => {
      setLiveProgress(event.progress);
      if (detail.data?.state !== 'active') reread();
    },
    onJobCompleted: reread,
    onJobFailed: reread,
  });
  const { subscribeToJob, unsubscribeFromJob } = progress;
  useEffect(() => {
    subscribeToJob(jobId, queueName);
    setLiveProgress(undefined);
    return () => {
      unsubscribeFromJob(jobId, queueName);
    };
  }, [jobId, queueName, subscribeToJob, unsubscribeFromJob]);
  const job = detail.data;
  const notFound = detail.error?.status === 404;
  return (
    <div className="page" data-testid="job-page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/">Overview</Link> <span aria-hidden="true">›</span>{' '}
        <Link to={pagePaths.queue(queueName)}>{queueName}</Link> <span aria-hidden="true">›</span>{' '}
        <span>job {jobId}</span>
      </nav>
      <div className="page__header">
        <h1>
          Job <code>{jobId}</code>
        </h1>
        {job && <JobStatePill state={job.state} testId="job-state" />}
        <WebSocketStatus
          isConnected={progress.isConnected}
          error={progress.error}
          variant="badge"
        />
      </div>
      {notFound && (
        <EmptyState title={`${queueName} holds no job ${jobId}`} testId="job-not-found">
          <Link to={pagePaths.queue(queueName)}>Back to {queueName}</Link>
        </EmptyState>
      )}
      {detail.error && !notFound && (
        <ErrorNotice title="Cannot read the job" error={detail.error} onRetry={reread} />
      )}
      {!job && !detail.error && <Loading what="the job" />}
      {job && (
        <>
          <AccessNotice />
          <JobActions job={job} onChanged={reread} />
          <JobFacts job={job} progress={liveProgress === undefined ? job.progress : liveProgress} />
          {(job.failedReason !== null || job.stacktraces.length > 0) && <JobFailure job={job} />}
          <Card title="Data and options" testId="job-json">
            <JsonView label="Data" json={job.data} testId="job-data" />
            <JsonView label="Options" json={job.options} open={false} testId="job-options" />
            {job.returnValue && (
              <JsonView label="Return value" json={job.returnValue} testId="job-return-value" />
            )}
          </Card>
          <JobLogs queueName={queueName} jobId={jobId} />
          <JobFlow
            self={{ queueName, id: jobId, name: job.name, state: job.state, children: [] }}
            parent={job.parent}
            children={job.children}
          />
          <JobDeadLetters records={job.deadLetters} />
        </>
      )}
    </div>
  );
}

function JobFacts(props: { job: JobDetailBody; progress: unknown }) {
  const { job } = props;
  const percent = progressPercent(props.progress);
  return (
    <Card title={job.name} testId="job-facts">
      <ProgressBar
        value={job.state === 'completed' ? 100 : percent}
        label={`Progress of job ${job.id}`}
        tone={job.state === 'failed' ? 'bad' : job.state === 'completed' ? 'ok' : 'info'}
        testId="job-progress"
      />
      <StatGrid compact>
        <Stat text label="Progress" value={progressText(props.progress)} />
        <Stat
          label="Attempts"
          value={`${String(job.attemptsMade)} / ${String(job.attemptsAllowed)}`}
          testId="job-attempts"
        />
        <Stat text label="Created" value={formatTime(job.createdAt)} />
        <Stat text label="Processed" value={formatTime(job.processedOn)} />
        <Stat text label="Finished" value={formatTime(job.finishedOn)} />
        <Stat label="Waited" value={formatDuration(job.waitTime)} />
        <Stat label="Processing" value={formatDuration(job.processingTime)} />
        <Stat label="Delay" value={formatDuration(job.delay)} />
        <Stat label="Priority" value={String(job.priority)} />
      </StatGrid>
    </Card>
  );
}

function JobFailure(props: { job: JobDetailBody }) {
  const { job } = props;
  return (
    <Card title={job.state === 'failed' ? 'Failure' : 'Earlier failures'} testId="job-failure">
      {job.failedReason !== null && (
        <p className="reason" data-testid="job-failed-reason">
          {job.failedReason}
        </p>
      )}
      {job.stacktraces.length === 0 && <p className="muted">No stack trace was kept.</p>}
      {job.stacktraces.map((trace, index) => (
        // Stack traces have no id of their own; their place is their attempt.
        <details key={index} open={index === job.stacktraces.length - 1}>
          <summary>Stack trace of attempt {index + 1}</summary>
          <pre
            className="code-block"
            tabIndex={0}
            role="region"
            aria-label={`Stack trace of attempt ${String(index + 1)}`}
            data-testid="job-stacktrace"
          >
            {trace}
          </pre>
        </details>
      ))}
    </Card>
  );
}
