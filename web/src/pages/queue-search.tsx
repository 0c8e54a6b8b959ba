import { useState, type SubmitEvent } from 'react';
import type {
  JobSearchBody,
  JobSummary,
  ListableState,
} from '../../../src/application/contract/index.js';
import { apiPaths } from '../api/api-paths.js';
import { listableStates } from '../api/console-api.js';
import { requestJson } from '../api/request-json.js';
import { Button } from '../components/button.js';
import { Card } from '../components/card.js';
import { EmptyState } from '../components/empty-state.js';
import { ErrorNotice } from '../components/error-notice.js';
import { formatCount } from '../format/format.js';
import { JobSummaryTable } from './job-summary-table.js';

/** What a search looks at: the job's name, its data as text, or one path of its JSON data. */
type SearchBy = 'name' | 'data' | 'path';

interface Found {
  readonly jobs: readonly JobSummary[];
  /** Jobs scanned by every call so far, and in the state when the scan began. */
  readonly scanned: number;
  readonly total: number;
  readonly cursor: string | null;
  /** The query the scan runs, so "Continue" goes on with the same one. */
  readonly query: Readonly<Record<string, string>>;
}

/**
 * Search a state of the queue by name, by a piece of the data, or by `path=value` in the data.
 * The server scans a bounded number of jobs per call and says how far it got; "Continue" scans
 * on from there and adds what it finds.
 */
export function QueueSearch(props: { queueName: string }) {
  const [by, setBy] = useState<SearchBy>('data');
  const [state, setState] = useState<ListableState>('failed');
  const [text, setText] = useState('');
  const [value, setValue] = useState('');
  const [found, setFound] = useState<Found | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);

  const scan = async (query: Readonly<Record<string, string>>, previous: Found | null) => {
    setBusy(true);
    setError(null);
    try {
      const body = await requestJson<JobSearchBody>(apiPaths.search(props.queueName, query));
      setFound({
        jobs: [...(previous?.jobs ?? []), ...body.jobs],
        scanned: (previous?.scanned ?? 0) + body.scanned,
        total: previous?.total ?? body.total,
        cursor: body.cursor,
        query,
      });
    } catch (caught) {
      setError(caught instanceof Error ? caught : new Error(String(caught)));
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const query: Record<string, string> =
      by === 'path' ? { state, path: text, value } : { state, [by]: text };
    setFound(null);
    void scan(query, null);
  };
  const more = () => {
    if (found?.cursor) void scan({ ...found.query, cursor: found.cursor }, found);
  };
  return (
    <Card title="Search" testId="queue-search">
      <form className="search-form" onSubmit={submit} role="search" aria-label="Search jobs">
        <label className="toolbar__field">
          In
          <select
            value={state}
            onChange={(event) => {
              setState(event.target.value as ListableState);
            }}
            data-testid="search-state"
          >
            {listableStates.map((candidate) => (
              <option key={candidate}>{candidate}</option>
            ))}
          </select>
        </label>
        <label className="toolbar__field">
          By
          <select
            value={by}
            onChange={(event) => {
              setBy(event.target.value as SearchBy);
            }}
            data-testid="search-by"
          >
            <option value="name">name contains</option>
            <option value="data">data contains</option>
            <option value="path">data path equals</option>
          </select>
        </label>
        <label className="toolbar__field toolbar__field--grow">
          {by === 'path' ? 'Path (e.g. customer.id)' : 'Text'}
          <input
            value={text}
            required
            onChange={(event) => {
              setText(event.target.value);
            }}
            data-testid="search-text"
          />
        </label>
        {by === 'path' && (
          <label className="toolbar__field toolbar__field--grow">
            Value
            <input
              value={value}
              onChange={(event) => {
                setValue(event.target.value);
              }}
              data-testid="search-value"
            />
          </label>
        )}
        <Button type="submit" busy={busy} data-testid="search-submit">
          Search
        </Button>
      </form>
      {error && <ErrorNotice title="The search failed" error={error} />}
      {found && (
        <>
          <p role="status" data-testid="search-progress">
            Found {formatCount(found.jobs.length)} · scanned {formatCount(found.scanned)} of{' '}
            {formatCount(found.total)}
            {found.cursor === null ? ' (all scanned)' : ''}
          </p>
          {found.jobs.length === 0 ? (
            <EmptyState title="Nothing found in the jobs scanned" />
          ) : (
            <JobSummaryTable
              jobs={found.jobs}
              caption={`Jobs found in ${props.queueName}`}
              testId="search-results"
            />
          )}
          {found.cursor !== null && (
            <Button variant="secondary" busy={busy} onClick={more} data-testid="search-continue">
              Continue scanning
            </Button>
          )}
        </>
      )}
    </Card>
  );
}
