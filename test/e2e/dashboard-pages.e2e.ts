import { expect } from 'chai';
import type { AlertsBody, RecentFailedJobsBody } from '../../src/application/contract/index.js';
import { waitFor } from '../support/wait-for.js';
import { screenshot } from './support/browser.js';
import { destinationName, failingQueue, failureReason, labQueue } from './support/e2e-stack.js';
import { focusOutline, tabTo } from './support/keyboard.js';
import { expectCleanConsole, useE2e } from './support/use-e2e.js';

describe('the dashboard pages (real browser, real server, real workers)', () => {
  const e2e = useE2e();

  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${e2e.stack().url}${path}`);
    return (await response.json()) as T;
  };

  before(async function () {
    this.timeout(30_000);
    // Two failures reach the failing queue's threshold (2): one alert fires, to the log destination.
    await e2e.stack().addJob(failingQueue, { attempt: 1 });
    await e2e.stack().addJob(failingQueue, { attempt: 2 });
    await e2e.stack().addJob(labQueue, { steps: 2, stepMs: 50 });
    await waitFor(
      'two dead letters',
      () => api<RecentFailedJobsBody>('/api/v1/jobs/failed/recent'),
      (body) => body.jobs.length >= 2,
      15_000,
    );
    await waitFor(
      'the alert to be delivered',
      () => api<AlertsBody>('/api/v1/alerts'),
      (body) =>
        body.alerts.some((record) => record.deliveries.some((d) => d.state === 'delivered')),
      15_000,
    );
  });

  it('should show the overall status, Redis and every watched queue on the overview', async () => {
    const { page } = e2e.page();
    await page.goto('/');
    await page.getByTestId(`queue-card-${labQueue}`).waitFor();
    await page.getByTestId(`queue-card-${failingQueue}`).waitFor();
    expect(await page.getByTestId('summary-queues').textContent()).to.equal('2');
    expect(await page.getByTestId('overall-status').textContent()).to.match(
      /^[●▲■](healthy|degraded|unhealthy)$/,
    );
    expect(await page.getByTestId('redis-latency').textContent()).to.match(/\d ms$/);
    expect(await page.getByTestId('redis-clients').textContent()).to.match(/^\d+$/);
    const labCard = page.getByTestId(`queue-card-${labQueue}`);
    await waitFor(
      'the lab queue to count its completed job',
      () => labCard.getByTestId('count-completed').textContent(),
      (text) => text !== null && Number(text) >= 1,
    );
    await waitFor(
      'the socket to be live',
      () => page.locator('header [data-testid="ws-status"]').getAttribute('data-state'),
      (state) => state === 'live',
    );
    await screenshot(page, 'overview');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'overview-dark');
    expectCleanConsole(e2e.page());
  });

  it('should deep-link to a queue page with its counts, its failures and its live events', async () => {
    const { page } = e2e.page();
    await page.goto(`/queues/${failingQueue}`);
    await page.getByTestId('queue-counts').waitFor();
    expect(await page.locator('h1').textContent()).to.equal(failingQueue);
    const failures = page.getByTestId('queue-failures').getByTestId('failed-reason');
    await failures.first().waitFor();
    expect(await failures.allTextContents()).to.include(failureReason);
    const feed = page.getByTestId('event-feed');
    await waitFor(
      'the feed to be live',
      () => feed.getByTestId('ws-status').getAttribute('data-state'),
      (state) => state === 'live',
    );
    await e2e.stack().addJob(failingQueue, { attempt: 3 });
    await feed.getByTestId('feed-item').filter({ hasText: failureReason }).first().waitFor();
    await screenshot(page, 'queue');
    expectCleanConsole(e2e.page());
  });

  it('should list failures with their reason, and open a stack trace from the keyboard', async () => {
    const { page } = e2e.page();
    await page.goto('/failed');
    await page.getByTestId('failed-row').first().waitFor();
    expect(await page.getByTestId('failed-reason').first().textContent()).to.equal(failureReason);
    expect(Number(await page.getByTestId('dead-letter-size').textContent())).to.be.at.least(2);
    await tabTo(page, 'failed-toggle');
    expect(await focusOutline(page)).to.match(/^solid [1-9]/);
    await page.keyboard.press('Enter');
    const details = page.getByTestId('failed-details').first();
    await details.waitFor();
    expect(await details.textContent()).to.include(`Error: ${failureReason}`);
    expect(await page.getByTestId('failed-toggle').first().getAttribute('aria-expanded')).to.equal(
      'true',
    );
    await screenshot(page, 'failed');
    expectCleanConsole(e2e.page());
  });

  it('should show the alert with its delivery, and send a test alert from the keyboard', async () => {
    const { page } = e2e.page();
    await page.goto('/alerts');
    const row = page.getByTestId('alert-row').first();
    await row.waitFor();
    expect(await row.textContent()).to.include('delivered');
    expect(await page.getByTestId('destination').first().textContent()).to.include(destinationName);
    await tabTo(page, 'send-test-alert');
    await page.keyboard.press('Enter');
    const result = page.getByTestId('test-alert-result').first();
    await result.waitFor();
    expect(await result.textContent()).to.match(new RegExp(`delivered.*${destinationName}`));
    await screenshot(page, 'alerts');
    expectCleanConsole(e2e.page());
  });

  it('should take a keyboard user to every page and through its main action', async () => {
    const { page } = e2e.page();
    await page.goto('/');
    await page.getByTestId(`queue-card-${labQueue}`).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.locator(':focus').textContent(), 'the first stop').to.equal(
      'Skip to content',
    );
    for (const [link, path] of [
      ['nav-failed', '/failed'],
      ['nav-alerts', '/alerts'],
      ['nav-lab', '/lab'],
      ['nav-overview', '/'],
    ] as const) {
      await tabTo(page, link);
      expect(await focusOutline(page), `${link} shows its focus`).to.match(/^solid [1-9]/);
      await page.keyboard.press('Enter');
      await page.waitForURL((url) => url.pathname === path);
    }
    await tabTo(page, 'queue-link');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname.startsWith('/queues/'));
    await page.getByTestId('queue-counts').waitFor();

    await page.goto('/lab');
    await page.getByTestId('lab-queue-select').selectOption(labQueue);
    await tabTo(page, 'lab-submit');
    await page.keyboard.press('Enter');
    const card = page.getByTestId('lab-job').first();
    await waitFor(
      'the job to complete',
      () => card.getAttribute('data-state'),
      (s) => s === 'completed',
      15_000,
    );
    expectCleanConsole(e2e.page());
  });
});
