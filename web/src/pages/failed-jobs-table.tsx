import { Fragment, useState } from 'react';
import type { DeadLetterRecord } from '../../../src/application/contract/index.js';
import { Button } from '../components/button.js';
import { StatusPill } from '../components/status-pill.js';
import { Table } from '../components/table.js';
import { formatTime } from '../format/format.js';
import { CodeBlock } from '../components/code-block.js';

/** Failed jobs with their reason; each row opens to its stack trace and data. */
export function FailedJobsTable(props: {
  jobs: readonly DeadLetterRecord[];
  showQueue?: boolean;
  caption: string;
}) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) => {
    setOpen((previous) => {
      const next = new Set(previous);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  };
  const showQueue = props.showQueue ?? true;
  const headers = [
    'Failed at',
    ...(showQueue ? ['Queue'] : []),
    'Job',
    'Reason',
    'Attempts',
    'Details',
  ];
  return (
    <Table caption={props.caption} headers={headers} testId="failed-jobs-table">
      {props.jobs.map((job) => {
        const expanded = open.has(job.id);
        const detailsId = `failure-${job.id}`;
        return (
          <Fragment key={job.id}>
            <tr data-testid="failed-row" data-job-id={job.jobId}>
              <td className="nowrap">{formatTime(job.failedAt)}</td>
              {showQueue && <td>{job.queueName}</td>}
              <td>
                <code>{job.jobId}</code>
                {job.jobName && <span className="muted"> {job.jobName}</span>}
              </td>
              <td className="reason" data-testid="failed-reason">
                {job.failedReason}
              </td>
              <td>
                {job.attemptsMade ?? '—'}
                {job.willRetry && <StatusPill tone="warn" label="will retry" />}
              </td>
              <td>
                <Button
                  variant="ghost"
                  aria-expanded={expanded}
                  aria-controls={detailsId}
                  onClick={() => {
                    toggle(job.id);
                  }}
                  data-testid="failed-toggle"
                >
                  {expanded ? 'Hide' : 'Show'} trace
                </Button>
              </td>
            </tr>
            {expanded && (
              <tr id={detailsId} className="details-row" data-testid="failed-details">
                <td colSpan={headers.length}>
                  <h3 className="details-row__title">Stack trace</h3>
                  {job.stacktrace.length > 0 ? (
                    <CodeBlock label={`Stack trace of job ${job.jobId}`}>
                      {job.stacktrace.join('\n')}
                    </CodeBlock>
                  ) : (
                    <p className="muted">No stack trace was kept.</p>
                  )}
                  <h3 className="details-row__title">Data</h3>
                  <CodeBlock label={`Data of job ${job.jobId}`}>
                    {job.dataPreview ?? '(the job is gone)'}
                  </CodeBlock>
                  <p className="muted">Priority {job.priority}</p>
                </td>
              </tr>
            )}
          </Fragment>
        );
      })}
    </Table>
  );
}
