import { Link } from 'react-router-dom';
import type { JobSummary } from '../../../src/application/contract/index.js';
import { JobStatePill } from '../components/job-state-pill.js';
import { Table } from '../components/table.js';
import { formatDuration, formatTime } from '../format/format.js';
import { progressPercent } from '../format/progress-percent.js';
import { pagePaths } from '../page-paths.js';

const headers = [
  'Job',
  'Name',
  'State',
  'Progress',
  'Attempts',
  'Created',
  'Processed',
  'Finished',
  'Wait',
  'Processing',
  'Failure reason',
];

/** A job's progress as words: `40 %`, or the worker's own value as JSON. */
export function progressText(progress: unknown): string {
  const percent = progressPercent(progress);
  if (percent !== null) return `${String(Math.round(percent))} %`;
  if (progress === null || progress === undefined || progress === 0) return '—';
  const text = JSON.stringify(progress);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/** Rows of jobs (a page of a state, or what a search found), each linking to its job page. */
export function JobSummaryTable(props: {
  jobs: readonly JobSummary[];
  caption: string;
  testId?: string;
}) {
  return (
    <Table caption={props.caption} headers={headers} testId={props.testId ?? 'job-table'}>
      {props.jobs.map((job) => (
        <tr key={`${job.queueName}/${job.id}`} data-testid="job-row" data-job-id={job.id}>
          <td>
            <Link to={pagePaths.job(job.queueName, job.id)} data-testid="job-link">
              <code>{job.id}</code>
            </Link>
          </td>
          <td className="cell-name">{job.name}</td>
          <td>
            <JobStatePill state={job.state} />
          </td>
          <td className="nowrap">{progressText(job.progress)}</td>
          <td className="nowrap">
            {job.attemptsMade} / {job.attemptsAllowed}
          </td>
          <td className="nowrap">{formatTime(job.createdAt)}</td>
          <td className="nowrap">{formatTime(job.processedOn)}</td>
          <td className="nowrap">{formatTime(job.finishedOn)}</td>
          <td className="nowrap">{formatDuration(job.waitTime)}</td>
          <td className="nowrap">{formatDuration(job.processingTime)}</td>
          <td className="reason">{job.failedReason ?? ''}</td>
        </tr>
      ))}
    </Table>
  );
}
