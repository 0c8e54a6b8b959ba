import { Queue } from 'bullmq';
import { groupFlushJobName } from '../../src/adapters/bullmq/alert-jobs.js';
import { waitFor } from './wait-for.js';

/** The alert work queue: the outbox's notifications and the group flushes. */
export function alertJobsQueue(redisUrl: string): Queue {
  return new Queue('queuewatch-alerts', { connection: { url: redisUrl } });
}

/**
 * Wait until every group flush and delivery due by now has run: nothing waiting or running in the
 * alert work queue, no notification waiting to be tried again, and no flush due within 5 s. After
 * it, a notification that has not arrived is not on its way.
 */
export async function alertQueuesSettled(redisUrl: string): Promise<void> {
  const jobs = alertJobsQueue(redisUrl);
  try {
    await waitFor(
      'the group flushes and deliveries due to be done',
      async () => {
        const counts = await jobs.getJobCounts('waiting', 'active');
        const delayed = await jobs.getJobs(['delayed']);
        const flushes = delayed.filter((job) => job.name === groupFlushJobName);
        return {
          counts,
          retries: delayed.length - flushes.length,
          dueSoon: flushes.filter((job) => job.timestamp + job.delay < Date.now() + 5_000).length,
        };
      },
      ({ counts, retries, dueSoon }) =>
        counts.waiting === 0 && counts.active === 0 && retries === 0 && dueSoon === 0,
      20_000,
    );
  } finally {
    await jobs.close();
  }
}
