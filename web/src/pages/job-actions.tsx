import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import type { JobDetailBody } from '../../../src/application/contract/index.js';
import { apiPaths } from '../api/api-paths.js';
import { useMay } from '../api/console-api.js';
import type { JobActionBody } from '../../../src/application/contract/index.js';
import { requestJson } from '../api/request-json.js';
import { ActionButton } from '../components/action-button.js';
import { pagePaths } from '../page-paths.js';

/**
 * What can be done to one job, each button shown only when the token may: retry (a failed or
 * completed job), promote (a delayed one), duplicate, and remove, whose dialog says whether the
 * job's children go too.
 */
export function JobActions(props: { job: JobDetailBody; onChanged: () => void }) {
  const may = useMay();
  const navigate = useNavigate();
  const [withChildren, setWithChildren] = useState(false);
  const [duplicate, setDuplicate] = useState<string | null>(null);
  const { job } = props;
  const post = async (action: 'retry' | 'promote' | 'duplicate') => {
    const answer = await requestJson<JobActionBody>(
      apiPaths.jobAction(job.queueName, job.id, action),
      { method: 'POST' },
    );
    props.onChanged();
    return answer;
  };
  const retryable = job.state === 'failed' || job.state === 'completed';
  const actions = [
    retryable && may('retry'),
    job.state === 'delayed' && may('promote'),
    may('duplicate'),
    may('remove'),
  ];
  if (!actions.some(Boolean)) return null;
  return (
    <div className="toolbar" role="group" aria-label="Job actions" data-testid="job-actions">
      {retryable && may('retry') && (
        <ActionButton
          label="Retry"
          variant="primary"
          testId="job-retry"
          run={async () => `Retried: now ${(await post('retry')).state}`}
        />
      )}
      {job.state === 'delayed' && may('promote') && (
        <ActionButton
          label="Promote"
          testId="job-promote"
          run={async () => `Promoted: now ${(await post('promote')).state}`}
        />
      )}
      {may('duplicate') && (
        <ActionButton
          label="Duplicate"
          testId="job-duplicate"
          run={async () => {
            const answer = await post('duplicate');
            setDuplicate(answer.newJobId ?? null);
            return `Duplicated as ${answer.newJobId ?? 'a new job'}`;
          }}
        />
      )}
      {duplicate !== null && (
        <Link to={pagePaths.job(job.queueName, duplicate)} data-testid="duplicate-link">
          Open the copy
        </Link>
      )}
      {may('remove') && (
        <ActionButton
          label="Remove"
          variant="danger"
          testId="job-remove"
          run={async () => {
            await requestJson<JobActionBody>(
              apiPaths.removeJob(job.queueName, job.id, withChildren),
              { method: 'DELETE' },
            );
            void navigate(pagePaths.queue(job.queueName));
            return 'Removed';
          }}
          confirm={{
            title: `Remove job ${job.id}?`,
            confirmLabel: withChildren ? 'Remove the job and its children' : 'Remove the job only',
            text: (
              <>
                <p>The job is removed for good from {job.queueName}.</p>
                <label className="checkbox">
                  <input
                    type="checkbox"
                    checked={withChildren}
                    onChange={(event) => {
                      setWithChildren(event.target.checked);
                    }}
                    data-testid="remove-children"
                  />
                  And its children ({job.children.length} direct)
                </label>
              </>
            ),
          }}
        />
      )}
    </div>
  );
}
