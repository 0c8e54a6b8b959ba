import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { JobDetailBody, MeBody } from '../../src/application/contract/index.js';
import { waitFor } from '../support/wait-for.js';
import { expectAccessible } from './support/axe.js';
import { screenshot } from './support/browser.js';
import {
  consoleQueue,
  consoleTokens,
  firstRunFailure,
  startConsoleStack,
  type ConsoleStack,
} from './support/console-stack.js';
import { focusedTestId, focusOutline, tabTo } from './support/keyboard.js';
import { expectCleanConsole, useE2e } from './support/use-e2e.js';

const xssName = '<img src=x onerror=alert(1)>';

describe('the operator console (real browser, real server, real workers)', () => {
  const e2e = useE2e();
  let qw: ConsoleStack | undefined;
  let failedJobId = '';
  let xssJobId = '';
  const needle = `needle-${String(Date.now())}`;

  const api = async (
    path: string,
    token: string,
    method = 'GET',
  ): Promise<{ status: number; body: unknown }> => {
    const response = await fetch(`${console_().url}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(method === 'GET' ? {} : { 'content-type': 'application/json' }),
      },
    });
    return { status: response.status, body: await response.json() };
  };
  const console_ = (): ConsoleStack => {
    if (!qw) throw new Error('the console stack did not start');
    return qw;
  };
  /** The page, signed in with `token` (kept in the tab's session as the dashboard keeps it). */
  const signIn = async (token: string): Promise<Page> => {
    const { page } = e2e.page();
    await page.addInitScript(
      `sessionStorage.setItem('queuewatch.apiToken', ${JSON.stringify(token)})`,
    );
    return page;
  };
  const detailOf = async (id: string) =>
    (await api(`/queues/${consoleQueue}/jobs/${id}/details`, consoleTokens.admin))
      .body as JobDetailBody;

  before(async function () {
    this.timeout(60_000);
    qw = await startConsoleStack(e2e.stack());
    await qw.queue.add('decoy', { customer: 'someone-else' });
    const job = await qw.queue.add('charge', { customer: needle, amount: 12 });
    failedJobId = String(job.id);
    const xss = await qw.queue.add(xssName, { note: '<script>window.__xss = 1</script>' });
    xssJobId = String(xss.id);
    for (const id of [failedJobId, xssJobId]) {
      await waitFor(
        `job ${id} to fail`,
        () => detailOf(id),
        (job) => job.state === 'failed' && job.logCount >= 2,
        15_000,
      );
    }
  });
  after(async () => {
    await qw?.stop();
  });

  it('should find a failed job by its data, show its trace and logs, retry it and watch it complete', async () => {
    const page = await signIn(consoleTokens.operator);
    await page.goto(`${console_().url}/queues/${consoleQueue}`);
    const search = page.getByTestId('queue-search');
    await search.getByTestId('search-state').selectOption('failed');
    await search.getByTestId('search-by').selectOption('data');
    await search.getByTestId('search-text').fill(needle);
    await search.getByTestId('search-submit').click();
    expect(await search.getByTestId('search-progress').textContent()).to.match(
      /Found 1 · scanned \d+ of \d+/,
    );
    await search.getByTestId('job-link').click();
    await page.waitForURL((url) => url.pathname === `/queues/${consoleQueue}/jobs/${failedJobId}`);
    const trace = page.getByTestId('job-stacktrace').last();
    await trace.waitFor();
    expect(await trace.textContent()).to.contain(`Error: ${firstRunFailure}`);
    const logs = page.getByTestId('log-lines');
    await logs.getByText('the ledger is locked').waitFor();
    expect(await logs.textContent()).to.contain(needle);
    await waitFor(
      'the log to be followed live',
      () => page.getByTestId('logs-live').textContent(),
      (text) => text === 'live',
    );
    await page.getByTestId('job-retry').click();
    await logs.getByText('ledger free, charged').waitFor({ timeout: 15_000 });
    await waitFor(
      'the job to complete on the page',
      () => page.getByTestId('job-state').textContent(),
      (text) => text?.includes('completed') === true,
      15_000,
    );
    expect(await page.getByTestId('job-progress').getAttribute('aria-valuenow')).to.equal('100');
    await screenshot(page, 'console-job');

    await page.getByTestId('nav-audit').click();
    const row = page.getByTestId('audit-row').filter({ hasText: failedJobId }).first();
    await row.waitFor();
    expect(await row.getAttribute('data-action')).to.equal('retry');
    expect(await row.textContent()).to.contain('e2e-operator');
    await screenshot(page, 'console-audit');
    expectCleanConsole(e2e.page());
  });

  it('should show a viewer no action button, and the API should refuse it', async () => {
    const me = (await api('/me', consoleTokens.viewer)).body as MeBody;
    expect(me.role).to.equal('viewer');
    const page = await signIn(consoleTokens.viewer);
    await page.goto(`${console_().url}/queues/${consoleQueue}/jobs/${xssJobId}`);
    await page.getByTestId('job-facts').waitFor();
    await page.getByTestId('read-only-notice').waitFor();
    expect(
      await page.getByRole('button', { name: /Retry|Remove|Duplicate|Promote/ }).count(),
    ).to.equal(0);
    await page.goto(`${console_().url}/queues/${consoleQueue}`);
    await page.getByTestId('queue-jobs').waitFor();
    await page.getByTestId('read-only-notice').waitFor();
    expect(await page.getByTestId('queue-actions').count()).to.equal(0);
    const refused = await api(
      `/queues/${consoleQueue}/jobs/${xssJobId}/retry`,
      consoleTokens.viewer,
      'POST',
    );
    expect(refused.status).to.equal(403);
    expect(refused.body).to.have.nested.property('error.code', 'QW_FORBIDDEN_ROLE');
    expectCleanConsole(e2e.page());
  });

  it('should show a name and data holding HTML as text, and run none of it', async () => {
    const page = await signIn(consoleTokens.admin);
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${console_().url}/queues/${consoleQueue}`);
    await page.getByTestId('queue-jobs').getByText(xssName).waitFor();
    await page.goto(`${console_().url}/queues/${consoleQueue}/jobs/${xssJobId}`);
    await page.getByTestId('job-facts').getByText(xssName).waitFor();
    expect(await page.getByTestId('job-data').textContent()).to.contain('<script>');
    // A later load proves the page had time to run whatever it would have run.
    await page.goto(`${console_().url}/audit`);
    await page.getByTestId('audit-page').waitFor();
    expect(await page.evaluate('window.__xss === undefined')).to.equal(true);
    expect(dialogs).to.deep.equal([]);
    expectCleanConsole(e2e.page());
  });

  describe('every page', () => {
    const pages = () => [
      '/',
      `/queues/${consoleQueue}`,
      `/queues/${consoleQueue}/jobs/${failedJobId}`,
      '/failed',
      '/alerts',
      '/audit',
      '/lab',
      '/no-such-page',
    ];

    it('should pass the WCAG 2.1 A/AA rules of axe-core, in both themes', async () => {
      const page = await signIn(consoleTokens.admin);
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        for (const path of pages()) {
          await page.goto(`${console_().url}${path}`);
          await page.locator('main h1').waitFor();
          await waitFor(
            `${path} to load`,
            () => page.locator('.loading').count(),
            (loading) => loading === 0,
          );
          await expectAccessible(page, `${path} (${colorScheme})`);
        }
      }
      await page.goto(`${console_().url}/queues/${consoleQueue}`);
      await page.getByTestId('drain').click();
      await page.getByRole('dialog').waitFor();
      await expectAccessible(page, 'the drain confirmation');
      await page.keyboard.press('Escape');
      expectCleanConsole(e2e.page());
    });

    it('should take a keyboard user from the job list to a job and its actions', async () => {
      const page = await signIn(consoleTokens.admin);
      await page.goto(`${console_().url}/queues/${consoleQueue}`);
      await page.getByTestId('queue-jobs').getByTestId('job-link').first().waitFor();
      await tabTo(page, 'state-completed', 80);
      await page.keyboard.press('Enter');
      await page.getByTestId('queue-jobs').getByRole('link', { name: failedJobId }).waitFor();
      // The table's scroll container is a stop of its own, before the links inside it.
      const focusedRole = () => page.evaluate("document.activeElement.getAttribute('role')");
      for (let tabs = 0; tabs < 10 && (await focusedRole()) !== 'region'; tabs += 1) {
        await page.keyboard.press('Tab');
      }
      expect(await focusedRole()).to.equal('region');
      expect(await focusOutline(page)).to.match(/^solid [1-9]/);
      await tabTo(page, 'job-link');
      await page.keyboard.press('Enter');
      await page.waitForURL((url) => url.pathname.includes('/jobs/'));
      await tabTo(page, 'job-remove', 40);
      await page.keyboard.press('Enter');
      await page.getByRole('dialog').waitFor();
      expect(await page.evaluate('document.activeElement.textContent')).to.equal('Cancel');
      await page.keyboard.press('Escape');
      expect(await page.getByRole('dialog').count()).to.equal(0);
      expect(await focusedTestId(page)).to.equal('job-remove');
      expectCleanConsole(e2e.page());
    });

    it('should fit 390 px: one-row header, no sideways scroll of the document', async () => {
      const page = await signIn(consoleTokens.admin);
      await page.setViewportSize({ width: 390, height: 844 });
      for (const path of pages()) {
        await page.goto(`${console_().url}${path}`);
        await page.locator('main h1').waitFor();
        const [scrollWidth, innerWidth, headerHeight] = await page.evaluate<
          [number, number, number]
        >(
          "[document.documentElement.scrollWidth, window.innerWidth, document.querySelector('header').getBoundingClientRect().height]",
        );
        expect(scrollWidth, `${path} scrolls sideways`).to.be.at.most(innerWidth);
        expect(headerHeight, `${path}: the header wraps`).to.be.below(70);
      }
      await page.getByTestId('menu-toggle').click();
      await page.getByTestId('nav-audit').click();
      await page.waitForURL((url) => url.pathname === '/audit');
      await screenshot(page, 'console-narrow-audit');
      expectCleanConsole(e2e.page());
    });
  });
});
