import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { expect } from 'chai';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import type { JobDetailBody, MeBody } from '../../src/application/contract/index.js';
import { JobPage } from '../../web/src/pages/job-page.js';
import { detail, meAs } from './support/console-fixtures.js';
import { fakeFetch, type FakeAnswer, type FakeRequest } from './support/fake-fetch.js';
import { connectionOnFakeSockets } from './support/render-with-connection.js';

describe('JobPage', () => {
  let restore: (() => void) | undefined;
  afterEach(() => {
    restore?.();
  });

  /** The API of one job whose details the test changes as the server would. */
  function serve(options: { me?: MeBody; job?: JobDetailBody; logs?: readonly string[] } = {}) {
    const state = { job: options.job ?? detail('7') };
    const answer = (request: FakeRequest): FakeAnswer => {
      if (request.url === '/api/v1/me') return { status: 200, body: options.me ?? meAs('admin') };
      if (request.url.includes('/logs?')) {
        const lines = options.logs ?? ['first line', 'second line'];
        return { status: 200, body: { lines, offset: 0, total: lines.length } };
      }
      if (request.url.endsWith('/details')) return { status: 200, body: state.job };
      if (request.url.endsWith('/retry')) {
        state.job = { ...state.job, state: 'waiting' };
        return {
          status: 200,
          body: { action: 'retry', queueName: 'payments', jobId: '7', state: 'waiting' },
        };
      }
      return { status: 404, body: { error: { code: 'QW_NOT_FOUND', message: 'no such job' } } };
    };
    const fetches = fakeFetch(answer);
    restore = fetches.restore;
    const fake = connectionOnFakeSockets();
    render(
      <MemoryRouter initialEntries={['/queues/payments/jobs/7']}>
        <Routes>
          <Route path="/queues/:name/jobs/:id" element={<JobPage />} />
        </Routes>
      </MemoryRouter>,
      { wrapper: fake.wrapper },
    );
    return { fake, requests: fetches.requests, state };
  }

  it('should show data, options, every stack trace, attempts, flow and dead letters', async () => {
    serve();
    const data = await screen.findByTestId('job-data');
    expect(within(data).getByRole('region', { name: 'Data' }).textContent).to.equal(
      JSON.stringify({ customer: { id: 'c-9' }, amount: 12 }, null, 2),
    );
    expect(screen.getAllByTestId('job-stacktrace').map((trace) => trace.textContent)).to.deep.equal(
      detail('7').stacktraces,
    );
    expect(screen.getByTestId('job-failed-reason').textContent).to.equal('card declined');
    expect(screen.getByTestId('job-attempts').textContent).to.equal('3 / 3');
    const flow = screen.getByTestId('job-flow');
    expect(within(flow).getByRole('link', { name: 'o-1' }).getAttribute('href')).to.equal(
      '/queues/orders/jobs/o-1',
    );
    expect(within(flow).getByRole('link', { name: 'c-1' })).to.not.equal(null);
    expect(within(screen.getByTestId('job-dead-letters')).getByTestId('reenqueue')).to.not.equal(
      null,
    );
  });

  it('should show a cut or non-JSON text as it is, and say so', async () => {
    serve({
      job: detail('7', {
        data: { text: '{"huge":"aaaa', bytes: 10_000_000, truncated: true },
        options: { text: 'not json', bytes: 8, truncated: false },
      }),
    });
    const data = await screen.findByTestId('job-data');
    expect(within(data).getByTestId('json-truncated').textContent).to.contain('of 9.5 MB');
    expect(within(data).getByRole('region', { name: 'Data' }).textContent).to.equal(
      '{"huge":"aaaa',
    );
    expect(
      within(screen.getByTestId('job-options')).getByText('Not JSON: shown as it is.'),
    ).to.not.equal(null);
  });

  it('should read the log once, then follow it over the socket without polling', async () => {
    const { fake, requests } = serve();
    const lines = await screen.findByTestId('log-lines');
    await within(lines).findByText('second line');
    act(() => {
      fake.socket().serverConnects();
    });
    await waitFor(() => {
      expect(fake.socket().requests('subscribe-to-job-logs')).to.deep.equal([
        { queueName: 'payments', jobId: '7', offset: 2 },
      ]);
    });
    const logReads = requests.filter((request) => request.url.includes('/logs?')).length;
    act(() => {
      fake.socket().push('job-log', {
        queueName: 'payments',
        jobId: '7',
        offset: 2,
        lines: ['third line', '<b>bold</b>'],
      });
    });
    expect([...lines.querySelectorAll('li')].map((line) => line.textContent)).to.deep.equal([
      'first line',
      'second line',
      'third line',
      '<b>bold</b>',
    ]);
    expect(lines.querySelector('b')).to.equal(null);
    expect(requests.filter((request) => request.url.includes('/logs?')).length).to.equal(logReads);
    expect(screen.getByTestId('logs-live').textContent).to.equal('live');
  });

  it('should retry the job and show it complete live', async () => {
    const { fake, requests, state } = serve();
    act(() => {
      fake.socket().serverConnects();
    });
    fireEvent.click(await screen.findByTestId('job-retry'));
    await waitFor(() => {
      expect(screen.getByTestId('job-state').textContent).to.contain('waiting');
    });
    expect(
      requests.some((request) => request.method === 'POST' && request.url.endsWith('/7/retry')),
    ).to.equal(true);
    expect(fake.socket().requests('subscribe-to-job')).to.deep.equal([
      { jobId: '7', queueName: 'payments' },
    ]);
    state.job = { ...state.job, state: 'active', progress: 50 };
    act(() => {
      fake
        .socket()
        .push('job-progress', { jobId: '7', queueName: 'payments', progress: 50, timestamp: 5 });
    });
    await waitFor(() => {
      expect(screen.getByTestId('job-state').textContent).to.contain('active');
    });
    expect(screen.getByTestId('job-progress').getAttribute('aria-valuenow')).to.equal('50');
    state.job = { ...state.job, state: 'completed', progress: 100, failedReason: null };
    act(() => {
      fake.socket().push('job-completed', {
        jobId: '7',
        queueName: 'payments',
        processingTime: 900,
        timestamp: 6,
      });
    });
    await waitFor(() => {
      expect(screen.getByTestId('job-state').textContent).to.contain('completed');
    });
  });

  it('should show a viewer no action, and say why', async () => {
    serve({ me: meAs('viewer') });
    await screen.findByTestId('read-only-notice');
    expect(screen.queryByTestId('job-actions')).to.equal(null);
    expect(screen.queryByTestId('reenqueue')).to.equal(null);
  });

  it('should ask before removing, and say whether the children go too', async () => {
    const { requests } = serve();
    fireEvent.click(await screen.findByTestId('job-remove'));
    const dialog = screen.getByRole('dialog', { name: 'Remove job 7?' });
    expect(within(dialog).getByTestId('confirm-action').textContent).to.equal(
      'Remove the job only',
    );
    fireEvent.click(within(dialog).getByLabelText('And its children (1 direct)'));
    expect(within(dialog).getByTestId('confirm-action').textContent).to.equal(
      'Remove the job and its children',
    );
    fireEvent.click(within(dialog).getByTestId('confirm-action'));
    await waitFor(() => {
      expect(requests.some((request) => request.method === 'DELETE')).to.equal(true);
    });
    expect(requests.find((request) => request.method === 'DELETE')?.url).to.equal(
      '/api/v1/queues/payments/jobs/7?children=true',
    );
  });

  it('should render a name and a reason holding HTML as text', async () => {
    serve({
      job: detail('7', {
        name: '<img src=x onerror=alert(1)>',
        failedReason: '<script>x()</script>',
      }),
    });
    await screen.findAllByText('<img src=x onerror=alert(1)>');
    expect(screen.getByTestId('job-failed-reason').textContent).to.equal('<script>x()</script>');
    expect(document.querySelector('img, script')).to.equal(null);
  });
});
