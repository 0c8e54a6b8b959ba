import { render, screen, within } from '@testing-library/react';
import { expect } from 'chai';
import sinon from 'sinon';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { isHealthReport } from '../../web/src/api/health-report.js';
import { requestJson } from '../../web/src/api/request-json.js';
import { TokenStore } from '../../web/src/api/token-store.js';
import { OverviewPage } from '../../web/src/pages/overview-page.js';
import { QueuePage } from '../../web/src/pages/queue-page.js';
import { fakeFetch, type FakeAnswer } from './support/fake-fetch.js';
import { quietHistory } from './support/history.js';
import { unhealthyReport } from './support/health-report.js';
import { connectionOnFakeSockets } from './support/render-with-connection.js';

const healthPath = '/api/v1/health/report';

/** What a proxy in front of Queuewatch answers while its upstream is down. */
const proxyPage: FakeAnswer = {
  status: 503,
  html: '<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>',
};
/** A 503 with a JSON body that is not a report (another service's error). */
const jsonError: FakeAnswer = {
  status: 503,
  body: { error: { code: 'UPSTREAM_DOWN', message: 'no upstream available' } },
};

describe('the health report answered with 503', () => {
  let restore: (() => void) | undefined;
  let consoleError: sinon.SinonStub<unknown[], void>;
  beforeEach(() => {
    consoleError = sinon.stub(console, 'error');
  });
  afterEach(() => {
    consoleError.restore();
    restore?.();
  });

  /** Everything the page logged as an error (React logs a component that threw). */
  const loggedErrors = () => consoleError.getCalls().map((call) => call.args.map(String).join(' '));

  // Every other read answers an empty list (recent failures, a page of jobs, schedulers, `/me`).
  const empty = { jobs: [], total: 0, nextCursor: null, schedulers: [], may: [], readOnly: false };

  function serve(health: FakeAnswer) {
    restore = fakeFetch((request) =>
      request.url === healthPath ? health : (quietHistory(request) ?? { status: 200, body: empty }),
    ).restore;
  }

  function renderAt(path: string) {
    const fake = connectionOnFakeSockets();
    render(
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path="/" element={<OverviewPage />} />
          <Route path="/queues/:name" element={<QueuePage />} />
        </Routes>
      </MemoryRouter>,
      { wrapper: fake.wrapper },
    );
  }

  describe('requestJson', () => {
    const read = () =>
      requestJson(healthPath, {
        accept: { status: 503, is: isHealthReport },
        tokens: new TokenStore(null),
      }).catch((error: unknown) => error);

    it('should answer the report it came with', async () => {
      serve({ status: 503, body: unhealthyReport });
      expect(await read()).to.deep.equal(unhealthyReport);
    });

    it('should fail with the status when a proxy answered instead', async () => {
      serve(proxyPage);
      expect(await read()).to.include({
        status: 503,
        code: 'HTTP_ERROR',
        message: `${healthPath}: HTTP 503`,
      });
    });

    it('should fail with the error a JSON body gives', async () => {
      serve(jsonError);
      expect(await read()).to.include({ status: 503, code: 'UPSTREAM_DOWN' });
    });
  });

  describe('OverviewPage', () => {
    it('should show the unhealthy report as data, and log no error', async () => {
      serve({ status: 503, body: unhealthyReport });
      renderAt('/');
      expect((await screen.findByTestId('overall-status')).textContent).to.include('unhealthy');
      expect(screen.getByTestId('overall-issues').textContent).to.include('QUEUE_PAUSED');
      expect(screen.getByTestId('queue-card-payments').textContent).to.include('payments');
      expect(screen.queryByRole('alert')).to.equal(null);
      expect(loggedErrors()).to.deep.equal([]);
    });

    for (const [what, answer, message] of [
      ['a proxy page', proxyPage, `${healthPath}: HTTP 503`],
      ['a JSON error', jsonError, 'no upstream available'],
    ] as const) {
      it(`should show a 503 with ${what} as an error, not as a report`, async () => {
        serve(answer);
        renderAt('/');
        const notice = await screen.findByRole('alert');
        expect(notice.textContent).to.include('Cannot read the health report');
        expect(notice.textContent).to.include(message);
        expect(screen.queryByTestId('overall-status')).to.equal(null);
        expect(loggedErrors()).to.deep.equal([]);
      });
    }
  });

  describe('QueuePage', () => {
    it("should show the queue's counts and status from the unhealthy report", async () => {
      serve({ status: 503, body: unhealthyReport });
      renderAt('/queues/payments');
      const counts = await screen.findByTestId('queue-counts');
      expect(within(counts).getByTestId('count-waiting').textContent).to.include('12');
      expect(screen.getByTestId('queue-status').textContent).to.include('unhealthy');
      expect(screen.getByTestId('queue-issues').textContent).to.include('the queue is paused');
      expect(screen.queryByRole('alert')).to.equal(null);
      expect(loggedErrors()).to.deep.equal([]);
    });

    it('should say it cannot read the queue when a proxy answered 503', async () => {
      serve(proxyPage);
      renderAt('/queues/payments');
      const notice = await screen.findByRole('alert');
      expect(notice.textContent).to.include('Cannot read the queue');
      expect(notice.textContent).to.include('HTTP 503');
      expect(loggedErrors()).to.deep.equal([]);
    });
  });
});
