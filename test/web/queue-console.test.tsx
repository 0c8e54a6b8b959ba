import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { expect } from 'chai';
import { MemoryRouter } from 'react-router-dom';
import type { OperationBody } from '../../src/application/contract/index.js';
import { QueueActions } from '../../web/src/pages/queue-actions.js';
import { QueueJobs } from '../../web/src/pages/queue-jobs.js';
import { QueueSchedulers } from '../../web/src/pages/queue-schedulers.js';
import { QueueSearch } from '../../web/src/pages/queue-search.js';
import { meAs, summary } from './support/console-fixtures.js';
import { fakeFetch, type FakeAnswer, type FakeRequest } from './support/fake-fetch.js';
import { connectionOnFakeSockets } from './support/render-with-connection.js';

const stats = {
  waiting: 4,
  active: 1,
  completed: 30,
  failed: 2,
  delayed: 0,
  paused: 0,
  prioritized: 0,
  waitingChildren: 0,
};

const operation = (done: number, status: OperationBody['status'] = 'running'): OperationBody => ({
  id: 'op-1',
  action: 'retry-all',
  queueName: 'payments',
  status,
  done,
  total: 10,
  startedAt: '2026-11-30T09:00:00.000Z',
  finishedAt: null,
  reason: null,
});

describe('the queue page of the console', () => {
  let restore: (() => void) | undefined;
  afterEach(() => {
    restore?.();
  });

  function renderWith(ui: React.ReactNode, answer: (request: FakeRequest) => FakeAnswer) {
    const fetches = fakeFetch(answer);
    restore = fetches.restore;
    const fake = connectionOnFakeSockets();
    render(<MemoryRouter>{ui}</MemoryRouter>, { wrapper: fake.wrapper });
    return { fake, requests: fetches.requests };
  }

  describe('QueueJobs', () => {
    it('should list the failed jobs with links, and walk pages with the cursor', async () => {
      const { requests } = renderWith(
        <QueueJobs queueName="payments" stats={stats} />,
        (request) => {
          const url = new URL(request.url, 'http://x');
          const cursor = url.searchParams.get('cursor');
          return {
            status: 200,
            body: {
              queueName: 'payments',
              state: url.searchParams.get('state'),
              order: 'newest',
              jobs: [summary(cursor === null ? '1' : '2')],
              total: 2,
              nextCursor: cursor === null ? 'c-2' : null,
            },
          };
        },
      );
      const link = await screen.findByRole('link', { name: '1' });
      expect(link.getAttribute('href')).to.equal('/queues/payments/jobs/1');
      expect(screen.getByTestId('state-failed').textContent).to.contain('2');
      expect(screen.getByTestId('state-failed').getAttribute('aria-pressed')).to.equal('true');
      fireEvent.click(screen.getByTestId('page-next'));
      await screen.findByRole('link', { name: '2' });
      expect(requests.at(-1)?.url).to.contain('cursor=c-2');
      expect(screen.getByTestId('page-position').textContent).to.contain('Page 2');
      expect(screen.getByTestId<HTMLButtonElement>('page-next').disabled).to.equal(true);
      fireEvent.click(screen.getByTestId('page-previous'));
      await screen.findByRole('link', { name: '1' });
      fireEvent.click(screen.getByTestId('state-waiting'));
      await waitFor(() => {
        expect(requests.at(-1)?.url).to.contain('state=waiting');
      });
      fireEvent.change(screen.getByTestId('job-order'), { target: { value: 'oldest' } });
      fireEvent.change(screen.getByTestId('job-limit'), { target: { value: '100' } });
      await waitFor(() => {
        expect(requests.at(-1)?.url).to.match(/limit=100&order=oldest|order=oldest.*limit=100/);
      });
    });

    it('should render a name holding HTML as text', async () => {
      renderWith(<QueueJobs queueName="payments" stats={stats} />, () => ({
        status: 200,
        body: {
          queueName: 'payments',
          state: 'failed',
          order: 'newest',
          jobs: [summary('1', { name: '<img src=x onerror=alert(1)>' })],
          total: 1,
          nextCursor: null,
        },
      }));
      await screen.findByText('<img src=x onerror=alert(1)>');
      expect(document.querySelector('img')).to.equal(null);
    });
  });

  describe('QueueSearch', () => {
    it('should say how far the scan got, and continue it from the cursor', async () => {
      const { requests } = renderWith(<QueueSearch queueName="payments" />, (request) => {
        const more = request.url.includes('cursor=');
        return {
          status: 200,
          body: {
            queueName: 'payments',
            state: 'failed',
            jobs: [summary(more ? '9' : '3')],
            scanned: 100,
            total: 300,
            cursor: more ? null : 's-100',
          },
        };
      });
      fireEvent.change(screen.getByTestId('search-text'), { target: { value: 'c-9' } });
      fireEvent.click(screen.getByTestId('search-submit'));
      expect((await screen.findByTestId('search-progress')).textContent).to.contain(
        'scanned 100 of 300',
      );
      expect(requests[0]?.url).to.equal('/api/v1/queues/payments/search?state=failed&data=c-9');
      fireEvent.click(screen.getByTestId('search-continue'));
      await screen.findByRole('link', { name: '9' });
      expect(screen.getByRole('link', { name: '3' })).to.not.equal(null);
      expect(screen.getByTestId('search-progress').textContent).to.contain(
        'scanned 200 of 300 (all scanned)',
      );
      expect(requests[1]?.url).to.contain('cursor=s-100');
      expect(screen.queryByTestId('search-continue')).to.equal(null);
    });

    it('should search a path for a value', async () => {
      const { requests } = renderWith(<QueueSearch queueName="payments" />, () => ({
        status: 200,
        body: {
          queueName: 'payments',
          state: 'failed',
          jobs: [],
          scanned: 2,
          total: 2,
          cursor: null,
        },
      }));
      fireEvent.change(screen.getByTestId('search-by'), { target: { value: 'path' } });
      fireEvent.change(screen.getByTestId('search-text'), { target: { value: 'customer.id' } });
      fireEvent.change(screen.getByTestId('search-value'), { target: { value: 'c 9' } });
      fireEvent.click(screen.getByTestId('search-submit'));
      await screen.findByText('Nothing found in the jobs scanned');
      expect(requests[0]?.url).to.contain('path=customer.id&value=c+9');
    });
  });

  describe('QueueActions', () => {
    it('should show nothing to a viewer', async () => {
      const { requests } = renderWith(
        <QueueActions queueName="payments" paused={false} onChanged={() => undefined} />,
        () => ({ status: 200, body: meAs('viewer') }),
      );
      await waitFor(() => {
        expect(requests.length).to.equal(1);
      });
      expect(screen.queryByTestId('queue-actions')).to.equal(null);
    });

    it('should show an operator no admin action', async () => {
      renderWith(
        <QueueActions queueName="payments" paused={false} onChanged={() => undefined} />,
        () => ({
          status: 200,
          body: meAs('operator'),
        }),
      );
      await screen.findByTestId('retry-all');
      expect(screen.getByTestId('pause')).to.not.equal(null);
      expect(screen.queryByTestId('resume')).to.equal(null);
      expect(screen.queryByTestId('drain')).to.equal(null);
      expect(screen.queryByTestId('clean')).to.equal(null);
    });

    it('should ask before draining, and drain nothing when cancelled with Escape', async () => {
      const { requests } = renderWith(
        <QueueActions queueName="payments" paused={false} onChanged={() => undefined} />,
        (request) =>
          request.method === 'POST'
            ? { status: 200, body: { queueName: 'payments', count: 4 } }
            : { status: 200, body: meAs('admin') },
      );
      const drain = await screen.findByTestId('drain');
      drain.focus();
      fireEvent.click(drain);
      const dialog = screen.getByRole('dialog', { name: 'Drain payments?' });
      expect(document.activeElement?.textContent).to.equal('Cancel');
      fireEvent.keyDown(dialog, { key: 'Escape' });
      expect(screen.queryByRole('dialog')).to.equal(null);
      expect(document.activeElement).to.equal(drain);
      fireEvent.click(drain);
      fireEvent.click(within(screen.getByRole('dialog')).getByTestId('confirm-action'));
      expect((await screen.findByTestId('drain-result')).textContent).to.equal('4 jobs removed');
      const posts = requests.filter((request) => request.method === 'POST');
      expect(posts.map((post) => [post.url, post.body])).to.deep.equal([
        ['/api/v1/queues/payments/drain', { delayed: false }],
      ]);
    });

    it('should follow a retry-all pushed over the socket, and cancel it', async () => {
      const { fake, requests } = renderWith(
        <QueueActions queueName="payments" paused={false} onChanged={() => undefined} />,
        (request) => {
          if (request.url.endsWith('/cancel'))
            return { status: 200, body: operation(6, 'cancelled') };
          if (request.method === 'POST') return { status: 202, body: operation(0) };
          return { status: 200, body: meAs('operator') };
        },
      );
      act(() => {
        fake.socket().serverConnects();
      });
      fireEvent.change(await screen.findByTestId('retry-all-reason'), {
        target: { value: 'declined' },
      });
      fireEvent.click(screen.getByTestId('retry-all'));
      fireEvent.click(within(screen.getByRole('dialog')).getByTestId('confirm-action'));
      await screen.findByTestId('operation');
      expect(requests.find((request) => request.method === 'POST')?.body).to.deep.equal({
        reason: 'declined',
      });
      act(() => {
        fake.socket().push('operation-progress', operation(5));
      });
      expect(screen.getByTestId('operation-label').textContent).to.equal(
        'retry-all: 5 of 10 · running',
      );
      fireEvent.click(screen.getByTestId('operation-cancel'));
      await waitFor(() => {
        expect(screen.getByTestId('operation').dataset.status).to.equal('cancelled');
      });
      expect(requests.at(-1)?.url).to.equal('/api/v1/operations/op-1/cancel');
    });

    it('should show the server refusal in its words', async () => {
      renderWith(
        <QueueActions queueName="payments" paused={false} onChanged={() => undefined} />,
        (request) =>
          request.method === 'POST'
            ? {
                status: 403,
                body: { error: { code: 'QW_READ_ONLY', message: 'Queuewatch is read-only' } },
              }
            : { status: 200, body: meAs('operator') },
      );
      fireEvent.click(await screen.findByTestId('pause'));
      expect((await screen.findByRole('alert')).textContent).to.equal('Queuewatch is read-only');
    });
  });

  describe('QueueSchedulers', () => {
    it('should list each scheduler with how it repeats and its last job', async () => {
      renderWith(<QueueSchedulers queueName="payments" />, () => ({
        status: 200,
        body: {
          queueName: 'payments',
          schedulers: [
            {
              id: 'nightly',
              name: 'report',
              pattern: '0 3 * * *',
              every: null,
              timezone: 'UTC',
              next: 1,
              iterations: 4,
              lastJobId: 'r-4',
            },
            {
              id: 'tick',
              name: null,
              pattern: null,
              every: 5_000,
              timezone: null,
              next: null,
              iterations: null,
              lastJobId: null,
            },
          ],
        },
      }));
      const table = await screen.findByTestId('schedulers-table');
      expect(within(table).getByText('0 3 * * *')).to.not.equal(null);
      expect(within(table).getByText('every 5.0 s')).to.not.equal(null);
      expect(within(table).getByRole('link', { name: 'r-4' }).getAttribute('href')).to.equal(
        '/queues/payments/jobs/r-4',
      );
      const region = screen.getByRole('region', { name: 'Schedulers of payments' });
      expect(region.tabIndex).to.equal(0);
    });
  });
});
