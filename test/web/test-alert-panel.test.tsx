import { fireEvent, render, screen, within } from '@testing-library/react';
import { expect } from 'chai';
import type { ReactNode } from 'react';
import { SWRConfig } from 'swr';
import type { TestAlertBody } from '../../src/application/contract/index.js';
import { TestAlertPanel } from '../../web/src/pages/test-alert-panel.js';
import { failureAlert } from './support/alert-fixtures.js';
import { fakeFetch, type FakeRequest } from './support/fake-fetch.js';
import { nth } from './support/nth.js';

const wrapper = ({ children }: { children: ReactNode }) => (
  <SWRConfig value={{ provider: () => new Map() }}>{children}</SWRConfig>
);

describe('TestAlertPanel', () => {
  let restore: (() => void) | undefined;
  afterEach(() => {
    restore?.();
  });

  function renderPanel(answer: TestAlertBody) {
    const api = fakeFetch((request) =>
      request.url.endsWith('/queues')
        ? { status: 200, body: { queues: [{ name: 'payments' }] } }
        : { status: 200, body: answer },
    );
    restore = api.restore;
    render(<TestAlertPanel />, { wrapper });
    return (): FakeRequest[] => api.requests.filter((request) => request.method === 'POST');
  }

  it('should POST as JSON (Queuewatch answers 415 otherwise) without labels, and show each result', async () => {
    const posts = renderPanel({
      alert: failureAlert('test'),
      routes: null,
      results: [{ destination: 'ops', type: 'log', outcome: 'delivered' }],
    });
    fireEvent.click(screen.getByTestId('send-test-alert'));
    const result = await screen.findByTestId('test-alert-result');
    expect(result.textContent).to.include('ops');
    expect(posts()).to.have.length(1);
    const request = nth(posts(), 0);
    expect(request).to.deep.include({ url: '/api/v1/alerts/test', method: 'POST' });
    expect(request.headers['content-type']).to.equal('application/json');
    // Without labels it goes to every destination, as before routing: no body, no routes shown.
    expect(request.body).to.equal(undefined);
    expect(screen.queryByTestId('test-alert-routes')).to.equal(null);
  });

  it('should send the labels given, and show the routes matched and each destination answer', async () => {
    const posts = renderPanel({
      alert: failureAlert('payments'),
      routes: [
        { route: 'payments-team', destinations: ['pager', 'team-webhook'] },
        { route: 'audit', destinations: [] },
      ],
      results: [
        { destination: 'pager', type: 'pagerduty', outcome: 'delivered' },
        {
          destination: 'team-webhook',
          type: 'webhook',
          outcome: 'failed',
          retryable: true,
          reason: 'HTTP 503',
        },
      ],
    });
    fireEvent.change(screen.getByLabelText('Queue (optional)'), { target: { value: 'payments' } });
    fireEvent.change(screen.getByLabelText('Severity (optional)'), { target: { value: 'high' } });
    fireEvent.click(screen.getByTestId('send-test-alert'));
    const routes = await screen.findAllByTestId('test-alert-route');
    expect(nth(posts(), 0).body).to.deep.equal({ labels: { queue: 'payments', severity: 'high' } });
    expect(routes.map((route) => route.textContent)).to.deep.equal([
      'payments-team → pager, team-webhook',
      'audit → no destination',
    ]);
    const results = screen.getAllByTestId('test-alert-result');
    expect(nth(results, 0).textContent).to.contain('delivered').and.contain('pager');
    expect(nth(results, 1).textContent)
      .to.contain('failed')
      .and.contain('team-webhook')
      .and.contain('HTTP 503')
      .and.contain('retryable');
    expect(
      within(nth(results, 1)).getByText('failed').closest('[data-tone]')?.getAttribute('data-tone'),
    ).to.equal('bad');
  });

  it('should say when no route matches the labels', async () => {
    renderPanel({ alert: failureAlert('nightly'), routes: [], results: [] });
    fireEvent.change(screen.getByLabelText('Rule (optional)'), { target: { value: 'backlog' } });
    fireEvent.click(screen.getByTestId('send-test-alert'));
    await screen.findByTestId('test-alert-no-route');
    expect(screen.getByTestId('test-alert-no-destination').textContent).to.contain(
      'No destination was sent to',
    );
  });
});
