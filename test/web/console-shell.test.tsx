import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { expect } from 'chai';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import type { AuditEntry } from '../../src/application/contract/index.js';
import { JobLookup } from '../../web/src/components/job-lookup.js';
import { AuditPage } from '../../web/src/pages/audit-page.js';
import { fakeFetch, type FakeAnswer, type FakeRequest } from './support/fake-fetch.js';
import { nth } from './support/nth.js';
import { connectionOnFakeSockets } from './support/render-with-connection.js';

function Where() {
  return <p data-testid="where">{useLocation().pathname}</p>;
}

const entry = (overrides: Partial<AuditEntry>): AuditEntry => ({
  id: '1-0',
  at: '2026-11-30T09:00:00.000Z',
  who: 'ops-alice',
  role: 'operator',
  action: 'retry',
  queueName: 'payments',
  jobIds: ['7'],
  filter: null,
  outcome: { status: 'done', count: 1 },
  ...overrides,
});

describe('the console shell', () => {
  let restore: (() => void) | undefined;
  afterEach(() => {
    restore?.();
  });

  function renderWith(ui: React.ReactNode, answer: (request: FakeRequest) => FakeAnswer) {
    const fetches = fakeFetch(answer);
    restore = fetches.restore;
    const fake = connectionOnFakeSockets();
    render(
      <MemoryRouter>
        {ui}
        <Routes>
          <Route path="*" element={<Where />} />
        </Routes>
      </MemoryRouter>,
      { wrapper: fake.wrapper },
    );
    return fetches.requests;
  }

  const lookUp = (id: string) => {
    fireEvent.change(screen.getByLabelText('Job id'), { target: { value: id } });
    fireEvent.click(screen.getByTestId('job-lookup-submit'));
  };

  describe('JobLookup', () => {
    it('should open the job when one queue holds it', async () => {
      const requests = renderWith(<JobLookup />, () => ({
        status: 200,
        body: { jobId: 'a/b', found: [{ queueName: 'payments', state: 'failed' }] },
      }));
      lookUp('a/b');
      await waitFor(() => {
        expect(screen.getByTestId('where').textContent).to.equal('/queues/payments/jobs/a%2Fb');
      });
      expect(requests[0]?.url).to.equal('/api/v1/jobs?id=a%2Fb');
    });

    it('should offer every queue that holds it', async () => {
      renderWith(<JobLookup />, () => ({
        status: 200,
        body: {
          jobId: '7',
          found: [
            { queueName: 'payments', state: 'failed' },
            { queueName: 'emails', state: 'completed' },
          ],
        },
      }));
      lookUp('7');
      const choices = await screen.findByTestId('job-lookup-choices');
      fireEvent.click(within(choices).getByRole('link', { name: 'emails' }));
      expect(screen.getByTestId('where').textContent).to.equal('/queues/emails/jobs/7');
      expect(screen.queryByTestId('job-lookup-choices')).to.equal(null);
    });

    it('should say when no queue holds it', async () => {
      renderWith(<JobLookup />, () => ({ status: 200, body: { jobId: '404', found: [] } }));
      lookUp('404');
      expect((await screen.findByTestId('job-lookup-none')).textContent).to.contain(
        'No watched queue holds a job 404',
      );
      expect(screen.getByTestId('where').textContent).to.equal('/');
    });
  });

  describe('AuditPage', () => {
    it('should list who did what to which jobs, and how it ended', async () => {
      renderWith(<AuditPage />, () => ({
        status: 200,
        body: {
          entries: [
            entry({}),
            entry({
              id: '2-0',
              who: 'viewer-bob',
              role: 'viewer',
              action: 'clean',
              jobIds: [],
              filter: { state: 'failed', graceMs: 0 },
              outcome: { status: 'refused', code: 'QW_FORBIDDEN_ROLE', reason: 'needs admin' },
            }),
          ],
        },
      }));
      const rows = await screen.findAllByTestId('audit-row');
      expect(rows.map((row) => row.dataset.action)).to.deep.equal(['retry', 'clean']);
      const retry = nth(rows, 0);
      const clean = nth(rows, 1);
      expect(retry.textContent).to.contain('ops-alice').and.contain('done (1)');
      expect(within(retry).getByRole('link', { name: '7' }).getAttribute('href')).to.equal(
        '/queues/payments/jobs/7',
      );
      expect(clean.textContent).to.contain('{"state":"failed","graceMs":0}');
      expect(clean.textContent).to.contain('refused: needs admin');
      expect(screen.getByRole('region', { name: 'Audit trail' }).tabIndex).to.equal(0);
    });
  });
});
