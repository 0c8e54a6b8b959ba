import { expect } from 'chai';
import type { AlertsBody, SilencesBody } from '../../src/application/contract/index.js';
import { waitFor } from '../support/wait-for.js';
import { expectAccessible } from './support/axe.js';
import { screenshot } from './support/browser.js';
import {
  loudQueue,
  silencedQueue,
  startSilenceStack,
  type SilenceStack,
} from './support/silence-stack.js';
import { expectCleanConsole, useE2e } from './support/use-e2e.js';

describe('alert silences (real browser, real Queuewatch process, real webhook receiver)', () => {
  const e2e = useE2e();
  // Nested: its Queuewatch, Redis and receiver stop before the browser and the e2e stack do.
  describe('a silence made and expired on the alerts page', () => {
    let started: SilenceStack | undefined;
    const qw = (): SilenceStack => {
      if (!started) throw new Error('the silence stack did not start');
      return started;
    };
    const api = async <T>(path: string): Promise<T> => {
      const response = await fetch(`${qw().url}/api/v1${path}`);
      if (!response.ok) throw new Error(`GET ${path}: HTTP ${String(response.status)}`);
      return (await response.json()) as T;
    };

    before(async function () {
      this.timeout(60_000);
      started = await startSilenceStack();
    });
    after(async () => {
      await started?.stop();
    });

    it('should hold back the alert of a queue silenced in the form, and send it once the silence is expired', async function () {
      this.timeout(90_000);
      const { page } = e2e.page();
      await page.goto(`${qw().url}/alerts`);

      const form = page.getByTestId('silence-form');
      await form.getByLabel('Label of matcher 1').fill('queue');
      await form.getByLabel('Value of matcher 1').fill(silencedQueue);
      await form.getByTestId('silence-for-1h').check();
      await form.getByLabel('Comment (required)').fill('e2e: ledger maintenance');
      await form.getByTestId('silence-submit').click();
      await form.getByTestId('silence-created').waitFor();
      const silenceRow = page.getByTestId('silence-row').filter({ hasText: silencedQueue });
      await silenceRow.waitFor();
      expect(await silenceRow.getAttribute('data-status')).to.equal('active');
      const { silences } = await api<SilencesBody>('/silences');
      expect(silences.map((silence) => silence.matchers)).to.deep.equal([
        [{ label: 'queue', op: '=', value: silencedQueue }],
      ]);

      await qw().fail(silencedQueue, 2);
      const firingRow = page.locator(`[data-testid="firing-row"][data-queue="${silencedQueue}"]`);
      await firingRow.getByTestId('silenced-by').waitFor({ timeout: 20_000 });
      expect(await firingRow.getByTestId('silenced-by').textContent()).to.contain(
        'e2e: ledger maintenance',
      );
      await waitFor(
        'a held-back record of the silenced queue',
        () => api<AlertsBody>('/alerts?limit=50'),
        (body) =>
          body.alerts.some(
            (record) =>
              record.suppressed !== undefined && record.alert.labels.queue === silencedQueue,
          ),
        20_000,
      );
      await page
        .locator(`[data-testid="alert-row"][data-queue="${silencedQueue}"][data-suppressed="true"]`)
        .first()
        .waitFor({ timeout: 20_000 });
      await expectAccessible(page, 'the alerts page with a silenced alert');
      await screenshot(page, 'alerts-silenced');

      // The loud queue's alert joins the same group (grouped by rule) and goes out: by the time it
      // arrives, the silenced one would have gone out before it, or beside it, had it not been held.
      await qw().fail(loudQueue, 2);
      const beforeExpiry = await waitFor(
        'the notification of the loud queue',
        () => qw().received(),
        (got) => got.some((notification) => notification.queues.includes(loudQueue)),
        20_000,
      );
      expect(beforeExpiry.flatMap((notification) => notification.queues)).not.to.include(
        silencedQueue,
      );

      await silenceRow.getByTestId('expire-silence').click();
      const dialog = page.getByRole('dialog', { name: 'Expire this silence now?' });
      expect(await dialog.textContent()).to.contain(`queue="${silencedQueue}"`);
      await dialog.getByTestId('confirm-action').click();
      await waitFor(
        'the silence to show as expired',
        () => silenceRow.getAttribute('data-status'),
        (status) => status === 'expired',
      );
      const afterExpiry = await waitFor(
        'the notification of the silenced queue',
        () => qw().received(),
        (got) =>
          got.some(
            (notification) =>
              notification.type === 'alert.firing' && notification.queues.includes(silencedQueue),
          ),
        20_000,
      );
      const sent = afterExpiry.find((notification) => notification.queues.includes(silencedQueue));
      expect(sent?.alert.alerts?.map((member) => member.rule)).to.deep.equal([
        'failure-rate',
        'failure-rate',
      ]);
      await waitFor(
        'the firing row to be notified, no longer held back',
        () => firingRow.getAttribute('data-held-back'),
        (held) => held === 'false',
        20_000,
      );
      expectCleanConsole(e2e.page());
    });

    it('should send a test alert through the routing tree and show the route and the receiver answer', async () => {
      const { page } = e2e.page();
      await page.goto(`${qw().url}/alerts`);
      const panel = page.getByTestId('test-alert');
      const before = qw().receiver.requests.length;
      await panel.getByLabel('Queue (optional)').fill(loudQueue);
      await panel.getByLabel('Severity (optional)').selectOption('high');
      await panel.getByTestId('send-test-alert').click();
      const route = panel.getByTestId('test-alert-route').first();
      await route.waitFor();
      expect(await route.textContent()).to.contain('e2e-receiver');
      const result = panel.getByTestId('test-alert-result').first();
      expect(await result.textContent()).to.match(/delivered.*e2e-receiver/);
      await qw().receiver.received(before + 1);
      const test = qw().received().at(-1);
      expect(test?.alert.labels).to.include({ queue: loudQueue, severity: 'high' });
      await expectAccessible(page, 'the alerts page after a route test');
      expectCleanConsole(e2e.page());
    });
  });
});
