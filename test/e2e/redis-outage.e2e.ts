import { expect } from 'chai';
import { waitFor } from '../support/wait-for.js';
import { screenshot } from './support/browser.js';
import { labQueue } from './support/e2e-stack.js';
import { useE2e } from './support/use-e2e.js';

/** The dashboard's health read: the report, answered 200 whatever its verdict. */
const healthPath = '/api/v1/health/report';

describe('the dashboard while Redis is down (real browser, real server)', () => {
  const e2e = useE2e();

  it('should show the unhealthy report on the overview, as data and not as an error', async function () {
    this.timeout(60_000);
    const { page } = e2e.page();
    const errors: { text: string; url: string }[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error')
        errors.push({ text: message.text(), url: message.location().url });
    });
    page.on('pageerror', (error) => errors.push({ text: `page error: ${error.message}`, url: '' }));
    let unhealthyReports = 0;
    const historiesLoaded = new Set<string>();
    page.on('response', (response) => {
      if (response.url().includes('/history?') && response.status() === 200) {
        historiesLoaded.add(new URL(response.url()).pathname);
      }
      if (!response.url().endsWith(healthPath)) return;
      void response.json().then(
        (body: { status?: string }) => {
          if (response.status() === 200 && body.status === 'unhealthy') unhealthyReports += 1;
        },
        () => undefined,
      );
    });

    await page.goto('/');
    await page.getByTestId(`queue-card-${labQueue}`).waitFor();
    // The queue cards' throughput lines are read once when the page opens (then each minute):
    // Redis stops once they are in, so the outage meets the health checks, not a first read.
    const cards = await page.locator('[data-testid^="queue-card-"]').count();
    await waitFor(
      'every queue card’s history to be read',
      () => historiesLoaded.size,
      (count) => count >= cards,
      20_000,
    );
    await e2e.stack().stopRedis();
    try {
      await waitFor(
        'the overview to say Redis is unreachable',
        () => page.getByTestId('overall-issues').textContent(),
        (text) => text?.includes('REDIS_UNREACHABLE') ?? false,
        20_000,
      );
      // Several refreshes answered with the unhealthy report, each taken as data.
      const seen = unhealthyReports;
      await waitFor(
        'three more unhealthy reports',
        () => unhealthyReports,
        (count) => count >= seen + 3,
        20_000,
      );
      expect(await page.getByTestId('overall-status').textContent()).to.match(/unhealthy$/);
      expect(await page.getByTestId('redis-status').textContent()).to.match(/unhealthy$/);
      expect(await page.getByRole('alert').count(), 'error notices').to.equal(0);
      await screenshot(page, 'overview-redis-down');
    } finally {
      await e2e.stack().startRedis();
    }
    // Not one console error, not even the browser's own line for a failed request.
    expect(errors).to.deep.equal([]);
  });
});
