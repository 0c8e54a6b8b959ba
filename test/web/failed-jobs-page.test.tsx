import { render, screen } from '@testing-library/react';
import { expect } from 'chai';
import { MemoryRouter } from 'react-router-dom';
import type {
  FailedJobStatsBody,
  QueueFailureStats,
} from '../../src/application/contract/failed-jobs.js';
import { FailedJobsPage } from '../../web/src/pages/failed-jobs-page.js';
import { fakeFetch } from './support/fake-fetch.js';
import { connectionOnFakeSockets } from './support/render-with-connection.js';

const queueStats = (alert: QueueFailureStats['alert']): QueueFailureStats => ({
  queueName: 'payments',
  priority: 'high',
  threshold: { count: 10, windowMs: 300_000, clearCount: 5, rate: null, minVolume: 20 },
  window: {
    windowMs: 300_000,
    failed: 12,
    completed: 40,
    failureRate: 0.23,
    successRate: 0.77,
    rateCounts: true,
    breached: true,
    cleared: false,
  },
  alert,
  lastFailure: { jobId: 'p-1', error: 'declined', at: '2026-11-30T10:00:00.000Z' },
});

const stats = (alert: QueueFailureStats['alert']): FailedJobStatsBody => ({
  deadLetterQueue: {
    queueName: 'failed-jobs',
    size: 12,
    oldestFailedAt: null,
    newestFailedAt: null,
  },
  monitoredQueues: [queueStats(alert)],
});

describe('FailedJobsPage', () => {
  let restore: (() => void) | undefined;
  afterEach(() => {
    restore?.();
  });

  function renderWith(body: FailedJobStatsBody) {
    restore = fakeFetch((request) =>
      request.url.includes('/failed/stats')
        ? { status: 200, body }
        : { status: 200, body: { jobs: [] } },
    ).restore;
    const fake = connectionOnFakeSockets();
    render(
      <MemoryRouter>
        <FailedJobsPage />
      </MemoryRouter>,
      { wrapper: fake.wrapper },
    );
  }

  it('should say when the notice of a firing alert still waits for Redis', async () => {
    renderWith(
      stats({
        status: 'firing',
        since: '2026-11-30T10:00:00.000Z',
        incidentId: null,
        notification: 'pending',
      }),
    );
    expect((await screen.findByText('firing, notice pending')).getAttribute('title')).to.contain(
      'kept and retried',
    );
  });

  it('should say only "firing" once the notice is queued', async () => {
    renderWith(
      stats({
        status: 'firing',
        since: '2026-11-30T10:00:00.000Z',
        incidentId: 'failure-rate/payments/1',
        notification: 'queued',
      }),
    );
    await screen.findByText('firing');
    expect(screen.queryByText('firing, notice pending')).to.equal(null);
  });
});
