import { useState, type SubmitEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import type { JobLocationsBody } from '../../../src/application/contract/index.js';
import { apiPaths } from '../api/api-paths.js';
import { requestJson } from '../api/request-json.js';
import { pagePaths } from '../page-paths.js';
import { Button } from './button.js';
import { JobStatePill } from './job-state-pill.js';

/**
 * "Go to job": looks an id up in every watched queue. One queue holds it: its page opens. Several
 * do: they are offered. None: it says so.
 */
export function JobLookup(props: { onDone?: () => void }) {
  const navigate = useNavigate();
  const [id, setId] = useState('');
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<JobLocationsBody | null>(null);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const wanted = id.trim();
    if (wanted === '') return;
    setBusy(true);
    setAnswer(null);
    setError(null);
    try {
      const body = await requestJson<JobLocationsBody>(apiPaths.jobLocations(wanted));
      const only = body.found.length === 1 ? body.found[0] : undefined;
      if (only) {
        void navigate(pagePaths.job(only.queueName, body.jobId));
        setId('');
        props.onDone?.();
      } else {
        setAnswer(body);
      }
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  };
  const close = () => {
    setAnswer(null);
    props.onDone?.();
  };
  return (
    <form
      className="job-lookup"
      role="search"
      aria-label="Go to job"
      onSubmit={(event) => void submit(event)}
    >
      <label htmlFor="job-lookup-id" className="visually-hidden">
        Job id
      </label>
      <input
        id="job-lookup-id"
        placeholder="Job id"
        value={id}
        onChange={(event) => {
          setId(event.target.value);
        }}
        data-testid="job-lookup-input"
      />
      <Button type="submit" variant="secondary" busy={busy} data-testid="job-lookup-submit">
        Go
      </Button>
      <div aria-live="polite">
        {error && (
          <p className="job-lookup__result action__result--error" role="alert">
            {error}
          </p>
        )}
        {answer?.found.length === 0 && (
          <p className="job-lookup__result" data-testid="job-lookup-none">
            No watched queue holds a job <code>{answer.jobId}</code>.
          </p>
        )}
        {answer && answer.found.length > 1 && (
          <div className="job-lookup__result" data-testid="job-lookup-choices">
            <p className="hint">
              {answer.found.length} queues hold a job <code>{answer.jobId}</code>:
            </p>
            <ul className="results">
              {answer.found.map((place) => (
                <li key={place.queueName}>
                  <Link to={pagePaths.job(place.queueName, answer.jobId)} onClick={close}>
                    {place.queueName}
                  </Link>
                  <JobStatePill state={place.state} />
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </form>
  );
}
