import type { Locator, Page } from 'playwright-core';
import { waitFor } from '../../support/wait-for.js';

/** Submit a job from the Lab form and answer its card once it appears. */
export async function submitFromLab(
  page: Page,
  queueName: string,
  data: Record<string, unknown>,
): Promise<{ card: Locator; jobId: string }> {
  const before = await page.getByTestId('lab-job').count();
  await page.getByTestId('lab-queue-select').selectOption(queueName);
  await page.getByTestId('lab-job-data').fill(JSON.stringify(data));
  await page.getByTestId('lab-submit').click();
  await waitFor(
    'the new job card',
    () => page.getByTestId('lab-job').count(),
    (n) => n > before,
  );
  const card = page.getByTestId('lab-job').first();
  const jobId = await card.getAttribute('data-job-id');
  if (jobId === null) throw new Error('the job card has no job id');
  return { card: page.locator(`[data-testid="lab-job"][data-job-id="${jobId}"]`), jobId };
}

/** Watch a job's bar until its card says `state`; answers every percentage seen on the way. */
export async function watchUntil(
  card: Locator,
  state: 'completed' | 'failed',
  timeoutMs = 15_000,
): Promise<number[]> {
  const seen = new Set<number>();
  await waitFor(
    `the job to be ${state}`,
    async () => {
      const value = await card.getByTestId('lab-progress').getAttribute('aria-valuenow');
      if (value !== null) seen.add(Number(value));
      return card.getAttribute('data-state');
    },
    (current) => current === state,
    timeoutMs,
  );
  return [...seen].sort((a, b) => a - b);
}
