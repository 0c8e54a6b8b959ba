import { useState } from 'react';
import type {
  ListableState,
  ListOrder,
  QueueHealthBody,
} from '../../../src/application/contract/index.js';
import { listableStates, useJobPage } from '../api/console-api.js';
import { Button } from '../components/button.js';
import { Card } from '../components/card.js';
import { EmptyState, Loading } from '../components/empty-state.js';
import { ErrorNotice } from '../components/error-notice.js';
import { formatCount } from '../format/format.js';
import { JobSummaryTable } from './job-summary-table.js';

/** Page sizes offered (the API takes 1..100). */
export const pageSizes = [10, 25, 50, 100] as const;

type Stats = NonNullable<QueueHealthBody['stats']>;

/** The count of a state in the health report's figures. */
export function countOf(stats: Stats | null, state: ListableState): number | null {
  if (!stats) return null;
  return state === 'waiting-children' ? stats.waitingChildren : stats[state];
}

/**
 * A queue's jobs, one state at a time: a button per state with its count, newest or oldest
 * first, pages of 10 to 100 walked with the server's cursor (the cursors seen are kept, so
 * "Previous" goes back exactly).
 */
export function QueueJobs(props: { queueName: string; stats: Stats | null }) {
  const [state, setState] = useState<ListableState>('failed');
  const [order, setOrder] = useState<ListOrder>('newest');
  const [limit, setLimit] = useState<number>(25);
  const [cursors, setCursors] = useState<readonly (string | null)[]>([null]);
  const cursor = cursors.at(-1) ?? null;
  const page = useJobPage(props.queueName, { state, order, limit, cursor });
  const restart = () => {
    setCursors([null]);
  };
  const data = page.data;
  const pageNumber = cursors.length;
  return (
    <Card title="Job list" testId="queue-jobs">
      <div role="group" aria-label="State" className="segmented">
        {listableStates.map((candidate) => (
          <Button
            key={candidate}
            variant={candidate === state ? 'primary' : 'secondary'}
            aria-pressed={candidate === state}
            onClick={() => {
              setState(candidate);
              restart();
            }}
            data-testid={`state-${candidate}`}
          >
            {candidate}{' '}
            <span className="count">{formatCount(countOf(props.stats, candidate))}</span>
          </Button>
        ))}
      </div>
      <div className="toolbar">
        <label className="toolbar__field">
          Order
          <select
            value={order}
            onChange={(event) => {
              setOrder(event.target.value as ListOrder);
              restart();
            }}
            data-testid="job-order"
          >
            <option value="newest">Newest first</option>
            <option value="oldest">Oldest first</option>
          </select>
        </label>
        <label className="toolbar__field">
          Per page
          <select
            value={limit}
            onChange={(event) => {
              setLimit(Number(event.target.value));
              restart();
            }}
            data-testid="job-limit"
          >
            {pageSizes.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </select>
        </label>
      </div>
      {page.error && (
        <ErrorNotice
          title="Cannot read the jobs"
          error={page.error}
          onRetry={() => void page.mutate()}
        />
      )}
      {!data && !page.error && <Loading what="the jobs" />}
      {data?.jobs.length === 0 && <EmptyState title={`No ${state} jobs on this page`} />}
      {data && data.jobs.length > 0 && (
        <JobSummaryTable jobs={data.jobs} caption={`${state} jobs of ${props.queueName}`} />
      )}
      {data && (
        <nav className="pager" aria-label="Pages of jobs">
          <Button
            variant="secondary"
            disabled={pageNumber === 1}
            onClick={() => {
              setCursors((previous) => previous.slice(0, -1));
            }}
            data-testid="page-previous"
          >
            ← Previous
          </Button>
          <span data-testid="page-position" aria-live="polite">
            Page {pageNumber} · {formatCount(data.total)} {state} in all
          </span>
          <Button
            variant="secondary"
            disabled={data.nextCursor === null}
            onClick={() => {
              const next = data.nextCursor;
              if (next !== null) setCursors((previous) => [...previous, next]);
            }}
            data-testid="page-next"
          >
            Next →
          </Button>
        </nav>
      )}
      <p className="hint">
        A page is read at one moment: jobs that change state meanwhile can show on two pages or on
        none.
      </p>
    </Card>
  );
}
