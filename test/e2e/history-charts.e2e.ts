import { expect } from 'chai';
import type { HistoryBody } from '../../src/application/contract/index.js';
import { waitFor } from '../support/wait-for.js';
import { screenshot } from './support/browser.js';
import { labQueue } from './support/e2e-stack.js';
import { expectCleanConsole, useE2e } from './support/use-e2e.js';

describe('history charts (real browser, real server, real workers)', () => {
  const e2e = useE2e();
  let completed = 0;

  before(async function () {
    this.timeout(30_000);
    for (let index = 0; index < 3; index += 1) {
      await e2e.stack().addJob(labQueue, { steps: 2, stepMs: 20 });
    }
    const body = await waitFor(
      'the history to count the lab jobs',
      async () =>
        (await (
          await fetch(`${e2e.stack().url}/api/v1/queues/${labQueue}/history?range=1h`)
        ).json()) as HistoryBody,
      (history) => history.points.reduce((sum, point) => sum + point.completed, 0) >= 3,
      15_000,
    );
    completed = body.points.reduce((sum, point) => sum + point.completed, 0);
  });

  /** The canvas uPlot drew in a chart, with its size. */
  const canvasOf = (page: ReturnType<typeof e2e.page>['page'], testId: string) =>
    page.getByTestId(testId).locator('canvas').first();

  it("should draw the queue page's charts from real data, and read the range chosen", async () => {
    const { page } = e2e.page();
    await page.goto(`/queues/${labQueue}`);
    const throughput = page.getByTestId('chart-throughput');
    await throughput.waitFor();
    expect(await throughput.locator('figcaption').textContent()).to.include(
      `${String(completed)} completed`,
    );
    for (const chart of ['chart-throughput', 'chart-backlog', 'chart-wait', 'chart-processing']) {
      const canvas = canvasOf(page, chart);
      await canvas.waitFor();
      const box = await canvas.boundingBox();
      expect(box?.width ?? 0, chart).to.be.above(100);
    }
    expect(await page.getByTestId('queue-forecast').textContent()).to.include(
      'Recommended workers',
    );
    await page.getByTestId('history-range').selectOption('7d');
    await waitFor(
      'the 7-day series',
      () => throughput.locator('figcaption').textContent(),
      (text) => text?.includes('Over the 7 days') === true,
    );
    await screenshot(page, 'queue-history');
    expectCleanConsole(e2e.page());
  });

  it('should draw a sparkline on each overview card, in the dark theme too', async () => {
    const { page } = e2e.page();
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto('/');
    const card = page.getByTestId(`queue-card-${labQueue}`);
    const sparkline = card.getByTestId('queue-sparkline');
    await sparkline.locator('canvas').first().waitFor();
    expect(await sparkline.locator('figcaption').textContent()).to.include(
      `${String(completed)} jobs finished in the last hour`,
    );
    await screenshot(page, 'overview-dark');
    expectCleanConsole(e2e.page());
  });
});
