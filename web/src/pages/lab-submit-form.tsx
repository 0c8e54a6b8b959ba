import { useState, type SubmitEvent } from 'react';
import type { SubmitJobBody } from '../../../src/application/contract/index.js';
import { apiPaths } from '../api/api-paths.js';
import { requestJson } from '../api/request-json.js';
import { useQueueList } from '../api/use-api.js';
import { Button } from '../components/button.js';
import { Loading } from '../components/empty-state.js';
import { ErrorNotice } from '../components/error-notice.js';

/** Picks a queue and submits `{ name, data }` to it; tells the page the new job's id. */
export function LabSubmitForm(props: { onSubmitted: (body: SubmitJobBody, name: string) => void }) {
  const queues = useQueueList();
  const [queue, setQueue] = useState('');
  const [name, setName] = useState('lab-job');
  const [data, setData] = useState('{}');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<Error | string | null>(null);
  const names = queues.data?.queues.map((item) => item.name) ?? [];
  const chosen = queue !== '' && names.includes(queue) ? queue : (names[0] ?? '');

  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      setError('The data is not valid JSON.');
      return;
    }
    setSending(true);
    setError(null);
    try {
      const body = await requestJson<SubmitJobBody>(apiPaths.submitJob(chosen), {
        method: 'POST',
        body: { name, data: parsed },
      });
      props.onSubmitted(body, name);
    } catch (caught) {
      setError(caught instanceof Error ? caught : String(caught));
    } finally {
      setSending(false);
    }
  };

  if (queues.error) {
    return (
      <ErrorNotice
        title="Cannot list the queues"
        error={queues.error}
        onRetry={() => void queues.mutate()}
      />
    );
  }
  if (!queues.data) return <Loading what="the queues" />;
  return (
    <form className="form" onSubmit={(event) => void submit(event)} data-testid="lab-form">
      <div className="form__field">
        <label htmlFor="lab-queue">Queue</label>
        <select
          id="lab-queue"
          value={chosen}
          onChange={(event) => {
            setQueue(event.target.value);
          }}
          data-testid="lab-queue-select"
        >
          {names.map((item) => (
            <option key={item} value={item}>
              {item}
            </option>
          ))}
        </select>
      </div>
      <div className="form__field">
        <label htmlFor="lab-name">Job name</label>
        <input
          id="lab-name"
          required
          maxLength={128}
          value={name}
          onChange={(event) => {
            setName(event.target.value);
          }}
          data-testid="lab-job-name"
        />
      </div>
      <div className="form__field form__field--wide">
        <label htmlFor="lab-data">Data (JSON)</label>
        <textarea
          id="lab-data"
          rows={4}
          spellCheck={false}
          value={data}
          onChange={(event) => {
            setData(event.target.value);
          }}
          data-testid="lab-job-data"
        />
      </div>
      {error && <ErrorNotice title="The job was not submitted" error={error} testId="lab-error" />}
      <Button type="submit" busy={sending} disabled={chosen === ''} data-testid="lab-submit">
        {sending ? 'Submitting…' : 'Submit job'}
      </Button>
    </form>
  );
}
