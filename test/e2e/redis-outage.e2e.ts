import { expect } from 'chai';
import { waitFor } from '../support/wait-for.js';
import { screenshot } from './support/browser.js';
import { labQueue } from './support/e2e-stack.js';
import { useE2e } from './support/use-e2e.js';

const healthPath = '/api/v1/health/queues';

/**
 * Chromium's own line for any response of 400 or more, which no page code can silence: the health
 * endpoint answers 503 while a queue is unhealthy, and the dashboard reads it every 2 s. It goes
 * away only when the server answers the dashboard's read with 200.
 */
const isChromiumHealth503Line = (message: { text: string; url: string }): boolean =>
  message.url.endsWith(healthPath) &&
  message.text ===
    'Failed to load resource: the server responded with a status of 503 (Service Unavailable)';

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
    let reports503 = 0;
    page.on('response', (response) => {
      if (response.url().endsWith(healthPath) && response.status() === 503) reports503 += 1;
    });

    await page.goto('/');
    await page.getByTestId(`queue-card-${labQueue}`).waitFor();
    await e2e.stack().stopRedis();
    try {
      await waitFor(
        'the overview to say Redis is unreachable',
        () => page.getByTestId('overall-issues').textContent(),
        (text) => text?.includes('REDIS_UNREACHABLE') ?? false,
        20_000,
      );
      // Several refreshes answered 503 with the report, each taken as data.
      const seen = reports503;
      await waitFor(
        'three more 503 answers',
        () => reports503,
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
    expect(errors.filter((message) => !isChromiumHealth503Line(message))).to.deep.equal([]);
  });
});
