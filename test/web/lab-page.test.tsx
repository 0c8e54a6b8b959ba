import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { expect } from 'chai';
import { MemoryRouter } from 'react-router-dom';
import { LabPage } from '../../web/src/pages/lab-page.js';
import { fakeFetch, type FakeRequest } from './support/fake-fetch.js';
import { connectionOnFakeSockets } from './support/render-with-connection.js';

function api(request: FakeRequest) {
  if (request.url === '/api/v1/queues') {
    return {
      status: 200,
      body: { queues: [{ name: 'lab', counts: null, isPaused: false }] },
    };
  }
  if (request.method === 'POST' && request.url === '/api/v1/queues/lab/jobs') {
    return { status: 201, body: { jobId: '7', queueName: 'lab' } };
  }
  return { status: 404, body: { error: { code: 'QW_NOT_FOUND', message: 'no such job' } } };
}

describe('LabPage', () => {
  let restore: (() => void) | undefined;
  afterEach(() => {
    restore?.();
  });

  async function submitJob() {
    const fetches = fakeFetch(api);
    restore = fetches.restore;
    const fake = connectionOnFakeSockets();
    render(
      <MemoryRouter>
        <LabPage />
      </MemoryRouter>,
      { wrapper: fake.wrapper },
    );
    act(() => {
      fake.socket().serverConnects();
    });
    await screen.findByRole('option', { name: 'lab' });
    fireEvent.change(screen.getByLabelText('Data (JSON)'), { target: { value: '{"steps":3}' } });
    fireEvent.click(screen.getByRole('button', { name: 'Submit job' }));
    const card = await screen.findByTestId('lab-job');
    return { fake, card, fetches };
  }

  it('should submit the job, follow it, fill its bar and show its processing time', async () => {
    const { fake, card, fetches } = await submitJob();
    const post = fetches.requests.find((request) => request.method === 'POST');
    expect(post?.body).to.deep.equal({ name: 'lab-job', data: { steps: 3 } });
    expect(post?.headers['content-type']).to.equal('application/json');
    expect(fake.socket().requests('subscribe-to-job')).to.deep.equal([
      { jobId: '7', queueName: 'lab' },
    ]);
    act(() => {
      fake
        .socket()
        .push('job-progress', { jobId: '7', queueName: 'lab', progress: 40, timestamp: 1 });
    });
    const bar = within(card).getByRole('progressbar');
    expect(bar.getAttribute('aria-valuenow')).to.equal('40');
    act(() => {
      fake.socket().push('job-completed', {
        jobId: '7',
        queueName: 'lab',
        processingTime: 2_100,
        timestamp: 2,
      });
    });
    expect(bar.getAttribute('aria-valuenow')).to.equal('100');
    expect(within(card).getByTestId('lab-processing-time').textContent).to.include(
      'completed in 2.1 s',
    );
    expect(card.dataset.state).to.equal('completed');
  });

  it('should show the reason of a failure', async () => {
    const { fake, card } = await submitJob();
    act(() => {
      fake.socket().push('job-failed', {
        jobId: '7',
        queueName: 'lab',
        failedReason: 'card declined',
        attemptsMade: 1,
        willRetry: false,
        timestamp: 3,
      });
    });
    await waitFor(() => {
      expect(card.dataset.state).to.equal('failed');
    });
    expect(within(card).getByTestId('lab-failure-reason').textContent).to.equal(
      'Failed: card declined (attempts: 1)',
    );
  });

  it('should refuse data that is not JSON without calling the server', async () => {
    const fetches = fakeFetch(api);
    restore = fetches.restore;
    const fake = connectionOnFakeSockets();
    render(
      <MemoryRouter>
        <LabPage />
      </MemoryRouter>,
      { wrapper: fake.wrapper },
    );
    await screen.findByRole('option', { name: 'lab' });
    fireEvent.change(screen.getByLabelText('Data (JSON)'), { target: { value: '{nope' } });
    fireEvent.click(screen.getByRole('button', { name: 'Submit job' }));
    expect((await screen.findByTestId('lab-error')).textContent).to.include('not valid JSON');
    expect(fetches.requests.filter((request) => request.method === 'POST')).to.deep.equal([]);
  });
});
