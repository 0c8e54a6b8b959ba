import { ProgressBar } from '../components/progress-bar.js';
import { StatusPill, type Tone } from '../components/status-pill.js';
import { formatDuration } from '../format/format.js';
import { progressPercent } from '../format/progress-percent.js';
import type { LabJob, LabJobState } from './lab-jobs.js';
import { CodeBlock } from '../components/code-block.js';

const tones: Record<LabJobState, Tone> = {
  waiting: 'neutral',
  active: 'info',
  retrying: 'warn',
  completed: 'ok',
  failed: 'bad',
};

/** One Lab job: its progress bar, and how it ended. */
export function LabJobCard(props: { job: LabJob }) {
  const { job } = props;
  const percent = job.state === 'completed' ? 100 : progressPercent(job.progress);
  return (
    <li className="lab-job" data-testid="lab-job" data-job-id={job.jobId} data-state={job.state}>
      <div className="lab-job__header">
        <strong>{job.name}</strong>
        <code className="muted">
          {job.queueName} / {job.jobId}
        </code>
        <span data-testid="lab-job-state" data-state={job.state}>
          <StatusPill tone={tones[job.state]} label={job.state} />
        </span>
      </div>
      <ProgressBar
        value={percent}
        label={`Progress of job ${job.jobId}`}
        tone={tones[job.state]}
        testId="lab-progress"
      />
      <p className="lab-job__status">
        <span data-testid="lab-progress-text">
          {percent === null ? JSON.stringify(job.progress) : `${String(Math.round(percent))} %`}
        </span>
        {job.state === 'completed' && (
          <span data-testid="lab-processing-time">
            {' '}
            · completed in {formatDuration(job.processingTime)}
          </span>
        )}
      </p>
      {job.failedReason && (
        <p className="reason" data-testid="lab-failure-reason">
          {job.state === 'retrying' ? 'Attempt failed, will retry: ' : 'Failed: '}
          {job.failedReason}
          {job.attemptsMade !== null && ` (attempts: ${String(job.attemptsMade)})`}
        </p>
      )}
      {job.custom !== null && (
        <CodeBlock label={`Custom progress of job ${job.jobId}`} testId="lab-custom-progress">
          {JSON.stringify(job.custom, null, 2)}
        </CodeBlock>
      )}
    </li>
  );
}
