import { useReducer } from 'react';
import { Card } from '../components/card.js';
import { EmptyState } from '../components/empty-state.js';
import { WebSocketStatus } from '../components/web-socket-status.js';
import { useJobProgress } from '../hooks/use-job-progress.js';
import { usePageTitle } from '../hooks/use-page-title.js';
import { LabJobCard } from './lab-job-card.js';
import { labJobsReducer } from './lab-jobs.js';
import { LabSubmitForm } from './lab-submit-form.js';

/** `/lab`: submit a job to a queue and watch it run, live or by polling. */
export function LabPage() {
  usePageTitle('Lab');
  const [jobs, dispatch] = useReducer(labJobsReducer, []);
  const { isConnected, error, subscribeToJob } = useJobProgress({
    onJobProgress: (payload) => {
      dispatch({ type: 'job-progress', payload });
    },
    onJobCompleted: (payload) => {
      dispatch({ type: 'job-completed', payload });
    },
    onJobFailed: (payload) => {
      dispatch({ type: 'job-failed', payload });
    },
    onCustomProgress: (payload) => {
      dispatch({ type: 'custom-progress', payload });
    },
  });
  return (
    <div className="page" data-testid="lab-page">
      <div className="page__header">
        <h1>Lab</h1>
      </div>
      <div className="columns">
        <Card title="Submit a job">
          <LabSubmitForm
            onSubmitted={(body, name) => {
              dispatch({ type: 'submitted', body, name });
              subscribeToJob(body.jobId, body.queueName);
            }}
          />
        </Card>
        <Card title="Connection">
          <WebSocketStatus isConnected={isConnected} error={error} variant="full" />
        </Card>
      </div>
      <Card title="Jobs" testId="lab-jobs">
        {jobs.length === 0 ? (
          <EmptyState title="No job submitted yet">
            Submit one above: its progress bar fills as the worker reports progress.
          </EmptyState>
        ) : (
          <ul className="lab-jobs">
            {jobs.map((job) => (
              <LabJobCard key={`${job.queueName}/${job.jobId}`} job={job} />
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
