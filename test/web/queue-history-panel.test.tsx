import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { expect } from 'chai';
import { SWRConfig } from 'swr';
import { QueueHistoryPanel } from '../../web/src/pages/queue-history-panel.js';
import { fakeFetch, type FakeRequest } from './support/fake-fetch.js';
import { forecastOf, historyOf, point } from './support/history.js';

describe('QueueHistoryPanel', () => {
  let restore: () => void = () => undefined;
  let requests: FakeRequest[] = [];
  afterEach(() => {
    cleanup();
    restore();
  });

  function renderPanel() {
    render(
      <SWRConfig value={{ provider: () => new Map(), dedupingInterval: 0 }}>
        <QueueHistoryPanel queue="emails" />
      </SWRConfig>,
    );
  }

  it("should say the forecast in words and sum the range's throughput in the charts' text", async () => {
    const faked = fakeFetch((request) =>
      request.url.includes('/forecast')
        ? {
            status: 200,
            body: forecastOf('emails', {
              backlog: 1_200,
              workers: 2,
              drain: { status: 'draining', seconds: 600, perMinute: 120 },
              predictedWaitSeconds: 300,
              recommendation: { ...forecastOf('emails').recommendation, workers: 5 },
            }),
          }
        : {
            status: 200,
            body: historyOf('emails', [
              point('2026-11-30T11:58:00.000Z', { completed: 40, failed: 2, backlog: 1_300 }),
              point('2026-11-30T11:59:00.000Z', { completed: 60, failed: 1, backlog: 1_200 }),
            ]),
          },
    );
    restore = faked.restore;
    renderPanel();
    const forecast = await screen.findByTestId('queue-forecast');
    expect(forecast.textContent).to.include('Backlog of 1,200 drains in about 10 min.');
    expect(forecast.textContent).to.include('waits about 5 min');
    expect(forecast.textContent).to.include('Recommended workers: 5 (connected: 2)');
    const throughput = await screen.findByTestId('chart-throughput');
    expect(throughput.textContent).to.include('100 completed, 3 failed');
    expect(screen.getByTestId('chart-backlog').textContent).to.include('Backlog now: 1,200');
  });

  it('should read the range chosen, and say when the answer is not a history', async () => {
    const faked = fakeFetch((request) =>
      request.url.includes('range=7d')
        ? { status: 200, body: { something: 'else' } }
        : request.url.includes('/forecast')
          ? {
              status: 200,
              body: forecastOf('emails', {
                workers: 0,
                backlog: 9,
                drain: { status: 'no-workers' },
              }),
            }
          : { status: 200, body: historyOf('emails', []) },
    );
    restore = faked.restore;
    requests = faked.requests;
    renderPanel();
    expect((await screen.findByTestId('queue-forecast')).textContent).to.include(
      'no worker connected: nothing drains',
    );
    fireEvent.change(screen.getByTestId('history-range'), { target: { value: '7d' } });
    await waitFor(() => {
      expect(
        requests.map((request) => request.url).some((url) => url.includes('range=7d')),
      ).to.equal(true);
    });
    expect((await screen.findByRole('alert')).textContent).to.include('did not answer a history');
  });
});
