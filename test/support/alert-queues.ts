import { Queue } from 'bullmq';
import { waitFor } from './wait-for.js';

/**
 * Wait until every group flush and delivery due by now has run: nothing waiting or running in the
 * alert-groups queue or the outbox, and no flush due within 5 s. After it, a notification that
 * has not arrived is not on its way.
 */
export async function alertQueuesSettled(redisUrl: string): Promise<void> {
  const connection = { url: redisUrl };
  const groups = new Queue('queuewatch-alert-groups', { connection });
  const outbox = new Queue('queuewatch-alerts', { connection });
  try {
    await waitFor(
      'the group flushes and deliveries due to be done',
      async () => {
        const [g, o] = await Promise.all([groups.getJobCounts(), outbox.getJobCounts()]);
        const delayed = await groups.getJobs(['delayed']);
        return {
          g,
          o,
          dueSoon: delayed.filter((job) => job.timestamp + job.delay < Date.now() + 5_000).length,
        };
      },
      ({ g, o, dueSoon }) =>
        g.waiting === 0 &&
        g.active === 0 &&
        dueSoon === 0 &&
        o.waiting === 0 &&
        o.active === 0 &&
        o.delayed === 0,
      20_000,
    );
  } finally {
    await Promise.all([groups.close(), outbox.close()]);
  }
}
