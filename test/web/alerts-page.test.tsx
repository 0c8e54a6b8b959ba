import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { expect } from 'chai';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router-dom';
import { SWRConfig } from 'swr';
import type {
  CreateSilenceRequest,
  FiringAlertBody,
  Role,
  SilenceBody,
} from '../../src/application/contract/index.js';
import { AlertsPage } from '../../web/src/pages/alerts-page.js';
import { failureAlert, firing, history, silence } from './support/alert-fixtures.js';
import { meAs } from './support/console-fixtures.js';
import { fakeFetch, type FakeAnswer, type FakeRequest } from './support/fake-fetch.js';
import { nth } from './support/nth.js';

/** The alerts API in memory: silences can be created (or refused) and expired. */
function alertsApi(options: {
  role: Role;
  firing: FiringAlertBody[];
  silences?: SilenceBody[];
  refuseCreate?: string[];
}) {
  const silences = [...(options.silences ?? [])];
  const refusals = [...(options.refuseCreate ?? [])];
  return (request: FakeRequest): FakeAnswer => {
    const path = new URL(request.url, 'http://queuewatch.test').pathname;
    const route = `${request.method} ${path}`;
    if (route === 'GET /api/v1/me') return { status: 200, body: meAs(options.role) };
    if (route === 'GET /api/v1/alerts/firing')
      return { status: 200, body: { alerts: options.firing } };
    if (route === 'GET /api/v1/alerts') return { status: 200, body: history() };
    if (route === 'GET /api/v1/queues') return { status: 200, body: { queues: [] } };
    if (route === 'GET /api/v1/silences') return { status: 200, body: { silences } };
    if (route === 'POST /api/v1/silences') {
      const refusal = refusals.shift();
      if (refusal !== undefined) {
        return { status: 400, body: { error: { code: 'QW_BAD_REQUEST', message: refusal } } };
      }
      const body = request.body as CreateSilenceRequest;
      const created = silence(`s-${String(silences.length + 1)}`, {
        matchers: body.matchers,
        endsAt: body.endsAt,
        comment: body.comment,
      });
      silences.unshift(created);
      return { status: 201, body: created };
    }
    const expire = /^DELETE \/api\/v1\/silences\/([^/]+)$/.exec(route);
    if (expire) {
      const index = silences.findIndex((item) => item.id === decodeURIComponent(expire[1] ?? ''));
      if (index < 0)
        return { status: 404, body: { error: { code: 'QW_NOT_FOUND', message: 'no' } } };
      const expired = { ...nth(silences, index), status: 'expired' as const };
      silences[index] = expired;
      return { status: 200, body: expired };
    }
    return { status: 404, body: { error: { code: 'QW_NOT_FOUND', message: route } } };
  };
}

const payments = failureAlert('payments');
const orders = failureAlert('orders', {
  id: 'failure-rate:orders:1',
  severity: 'critical',
  labels: { rule: 'failure-rate', severity: 'critical', queue: 'orders' },
});

describe('AlertsPage', () => {
  let restore: (() => void) | undefined;
  afterEach(() => {
    restore?.();
  });

  function renderPage(answer: (request: FakeRequest) => FakeAnswer) {
    const api = fakeFetch(answer);
    restore = api.restore;
    const wrapper = ({ children }: { children: ReactNode }) => (
      <SWRConfig value={{ provider: () => new Map(), dedupingInterval: 0 }}>
        <MemoryRouter>{children}</MemoryRouter>
      </SWRConfig>
    );
    render(<AlertsPage />, { wrapper });
    return api.requests;
  }

  const rowOf = async (testId: string, queue: string): Promise<HTMLElement> => {
    await screen.findAllByTestId(testId);
    const row = screen
      .getAllByTestId(testId)
      .find((item) => item.getAttribute('data-queue') === queue);
    if (!row) throw new Error(`no ${testId} of ${queue}`);
    return row;
  };

  describe('firing now', () => {
    it('should show each firing alert with its severity, values, link, and what holds it back', async () => {
      renderPage(
        alertsApi({
          role: 'viewer',
          firing: [
            firing(orders),
            firing(payments, { silencedBy: ['s-1'], inhibitedBy: ['failure-rate:orders:1'] }),
          ],
          silences: [silence('s-1')],
        }),
      );
      const row = await rowOf('firing-row', 'payments');
      const cells = within(row);
      expect(row.getAttribute('data-rule')).to.equal('failure-rate');
      expect(row.textContent).to.contain('High Failure Rate Detected').and.contain('high');
      const values = cells.getByTestId('alert-values').textContent;
      expect(values).to.contain('failures:12');
      expect(values).to.contain('failureRate:23.1 %');
      expect(values).to.contain('window:5 min 0 s');
      expect(values).to.contain('rateThreshold:—');
      expect(cells.getByTestId('alert-link').getAttribute('href')).to.equal('/queues/payments');
      await waitFor(() => {
        expect(cells.getByTestId('silenced-by').textContent).to.equal(
          '◆silenced by “provider outage INC-7”',
        );
      });
      expect(cells.getByTestId('inhibited-by').textContent).to.equal(
        '○inhibited by failure-rate on orders',
      );
      const notHeld = await rowOf('firing-row', 'orders');
      expect(notHeld.getAttribute('data-held-back')).to.equal('false');
      expect(within(notHeld).queryByTestId('silenced-by')).to.equal(null);
    });

    it('should say when nothing fires', async () => {
      renderPage(alertsApi({ role: 'viewer', firing: [] }));
      await screen.findByTestId('nothing-firing');
    });
  });

  describe('history', () => {
    it('should show a held-back record without deliveries, and a grouped notification with its members', async () => {
      renderPage(alertsApi({ role: 'viewer', firing: [], silences: [silence('s-1')] }));
      const rows = await screen.findAllByTestId('alert-row');
      expect(rows).to.have.length(3);
      const [held, , delivered] = rows;
      expect(held?.getAttribute('data-suppressed')).to.equal('true');
      expect(held?.textContent).to.contain('recorded, not sent');
      await waitFor(() => {
        expect(within(nth(rows, 0)).getByTestId('silenced-by').textContent).to.contain('INC-7');
      });
      expect(held?.textContent).not.to.contain('ops-webhook');
      const members = within(nth(rows, 1)).getAllByTestId('group-member');
      expect(members).to.have.length(2);
      expect(nth(members, 0).textContent).to.contain('firing failure-rate on payments');
      expect(nth(members, 1).textContent).to.contain('failure-rate on refunds: High Failure');
      expect(within(nth(members, 1)).getByTestId('alert-values').textContent).to.contain(
        'window:5 min 0 s',
      );
      expect(delivered?.getAttribute('data-suppressed')).to.equal('false');
      expect(delivered?.textContent).to.contain('delivered').and.contain('ops-webhook');
    });
  });

  describe('silences', () => {
    it('should fill the form from a firing alert, show the server refusal, then send the silence', async () => {
      const requests = renderPage(
        alertsApi({
          role: 'operator',
          firing: [firing(payments)],
          refuseCreate: ['"pay[" is not a valid regular expression (Unterminated character class)'],
        }),
      );
      await screen.findByTestId('no-silences');
      fireEvent.click(
        await screen.findByRole('button', { name: 'Silence failure-rate on payments…' }),
      );
      const form = screen.getByTestId('silence-form');
      const labels = within(form)
        .getAllByTestId<HTMLInputElement>('matcher-label')
        .map((input) => input.value);
      expect(labels).to.deep.equal(['rule', 'queue', 'team']);
      expect(document.activeElement).to.equal(within(form).getByTestId('silence-comment'));
      // The team matcher goes, the queue one becomes an expression.
      fireEvent.click(within(form).getByRole('button', { name: 'Remove matcher 3' }));
      fireEvent.change(within(form).getByLabelText('Operator of matcher 2'), {
        target: { value: '=~' },
      });
      fireEvent.change(within(form).getByLabelText('Value of matcher 2'), {
        target: { value: 'pay[' },
      });
      fireEvent.click(within(form).getByTestId('silence-for-4h'));
      fireEvent.change(within(form).getByLabelText('Comment (required)'), {
        target: { value: 'provider outage INC-7' },
      });
      fireEvent.click(within(form).getByTestId('silence-submit'));
      const refusal = await within(form).findByTestId('silence-error');
      expect(refusal.getAttribute('role')).to.equal('alert');
      expect(refusal.textContent).to.contain('"pay[" is not a valid regular expression');

      fireEvent.change(within(form).getByLabelText('Value of matcher 2'), {
        target: { value: 'pay.*' },
      });
      const before = Date.now();
      fireEvent.click(within(form).getByTestId('silence-submit'));
      await within(form).findByTestId('silence-created');
      expect(within(form).queryByTestId('silence-error')).to.equal(null);
      const posts = requests.filter((request) => request.method === 'POST');
      expect(posts).to.have.length(2);
      const sent = nth(posts, 1);
      expect(sent.url).to.equal('/api/v1/silences');
      expect(sent.headers['content-type']).to.equal('application/json');
      const body = sent.body as CreateSilenceRequest;
      expect(body.matchers).to.deep.equal([
        { label: 'rule', op: '=', value: 'failure-rate' },
        { label: 'queue', op: '=~', value: 'pay.*' },
      ]);
      expect(body.comment).to.equal('provider outage INC-7');
      expect(body).not.to.have.property('startsAt');
      const lasts = Date.parse(body.endsAt) - before;
      expect(lasts).to.be.within(4 * 3_600_000 - 1_000, 4 * 3_600_000 + 5_000);
      const row = await screen.findByTestId('silence-row');
      expect(row.textContent).to.contain('queue=~"pay.*"').and.contain('provider outage INC-7');
      // The form starts afresh.
      expect(
        within(form)
          .getAllByTestId<HTMLInputElement>('matcher-label')
          .map((input) => input.value),
      ).to.deep.equal(['']);
    });

    it('should refuse locally without a comment or a matcher, sending nothing', async () => {
      const requests = renderPage(alertsApi({ role: 'operator', firing: [] }));
      const form = await screen.findByTestId('silence-form');
      fireEvent.click(within(form).getByTestId('silence-submit'));
      expect((await within(form).findByTestId('silence-error')).textContent).to.contain(
        'Add a matcher',
      );
      fireEvent.change(within(form).getByLabelText('Label of matcher 1'), {
        target: { value: 'queue' },
      });
      fireEvent.change(within(form).getByLabelText('Value of matcher 1'), {
        target: { value: 'payments' },
      });
      fireEvent.click(within(form).getByTestId('matcher-add'));
      expect(within(form).getAllByTestId('matcher-row')).to.have.length(2);
      fireEvent.click(within(form).getByTestId('silence-submit'));
      await waitFor(() => {
        expect(within(form).getByTestId('silence-error').textContent).to.contain(
          'Say why in the comment',
        );
      });
      fireEvent.change(within(form).getByLabelText('Comment (required)'), {
        target: { value: 'maintenance' },
      });
      fireEvent.click(within(form).getByTestId('silence-until-choice'));
      fireEvent.click(within(form).getByTestId('silence-submit'));
      await waitFor(() => {
        expect(within(form).getByTestId('silence-error').textContent).to.contain(
          'Choose when it ends',
        );
      });
      fireEvent.change(within(form).getByLabelText('End time'), {
        target: { value: '2099-01-02T03:04' },
      });
      fireEvent.click(within(form).getByTestId('silence-submit'));
      await within(form).findByTestId('silence-created');
      const post = nth(
        requests.filter((request) => request.method === 'POST'),
        0,
      );
      const body = post.body as CreateSilenceRequest;
      // The empty second row is not sent; the chosen local time is sent as an instant.
      expect(body.matchers).to.deep.equal([{ label: 'queue', op: '=', value: 'payments' }]);
      expect(body.endsAt).to.equal(new Date('2099-01-02T03:04').toISOString());
    });

    it('should expire a silence after the confirmation', async () => {
      const requests = renderPage(
        alertsApi({ role: 'operator', firing: [], silences: [silence('s-1')] }),
      );
      const row = await screen.findByTestId('silence-row');
      fireEvent.click(await within(row).findByTestId('expire-silence'));
      const dialog = screen.getByRole('dialog', { name: 'Expire this silence now?' });
      expect(dialog.textContent).to.contain('queue="payments"');
      expect(requests.some((request) => request.method === 'DELETE')).to.equal(false);
      fireEvent.click(within(dialog).getByTestId('confirm-action'));
      await waitFor(() => {
        expect(screen.getByTestId('silence-row').getAttribute('data-status')).to.equal('expired');
      });
      const deletes = requests.filter((request) => request.method === 'DELETE');
      expect(deletes.map((request) => request.url)).to.deep.equal(['/api/v1/silences/s-1']);
      expect(screen.queryByTestId('expire-silence')).to.equal(null);
    });

    it('should show a viewer the silences but no way to create or expire one', async () => {
      renderPage(
        alertsApi({ role: 'viewer', firing: [firing(payments)], silences: [silence('s-1')] }),
      );
      await screen.findByTestId('silence-row');
      await screen.findByTestId('firing-row');
      // Shown once `/me` is read, as the buttons would have been.
      await screen.findByTestId('read-only-notice');
      expect(screen.queryByTestId('silence-form')).to.equal(null);
      expect(screen.queryByTestId('silence-alert')).to.equal(null);
      expect(screen.queryByTestId('expire-silence')).to.equal(null);
      expect(screen.queryByTestId('test-alert')).to.equal(null);
    });
  });
});
