import { Queue } from 'bullmq';
import type { OperationBody } from '../../src/application/contract/console.js';
import { send } from './console-measures.js';
import { startFailingWorker, type SeedPlan } from './console-seed.js';

/** How a retry of every failed job ended. */
export interface RetryOutcome {
  readonly retried: number | null;
  readonly status: string | null;
  readonly error: string | null;
}

/** POST retry-all, then poll the operation until it is no longer running. */
export async function queuewatchRetryAll(qw: string, plan: SeedPlan): Promise<RetryOutcome> {
  const posted = await send('POST', `${qw}/api/v1/queues/${plan.bigQueue}/retry-all`, {});
  if (posted.status !== 202)
    return {
      retried: null,
      status: null,
      error: `POST retry-all answered ${String(posted.status)}: ${posted.text.slice(0, 200)}`,
    };
  let operation = JSON.parse(posted.text) as OperationBody;
  const deadline = performance.now() + 1_800_000;
  while (operation.status === 'running') {
    if (performance.now() > deadline)
      return { retried: operation.done, status: 'running', error: 'still running after 30 min' };
    await new Promise((resolve) => setTimeout(resolve, 100));
    const polled = await send('GET', `${qw}/api/v1/operations/${operation.id}`);
    if (polled.status !== 200)
      return {
        retried: operation.done,
        status: operation.status,
        error: `GET operation answered ${String(polled.status)}: ${polled.text.slice(0, 200)}`,
      };
    operation = JSON.parse(polled.text) as OperationBody;
  }
  return {
    retried: operation.done,
    status: operation.status,
    error: operation.status === 'done' ? null : `operation ended ${operation.status}`,
  };
}

/** bull-board's retry of every failed job: one request, answered when all are retried. */
export async function bullBoardRetryAll(bb: string, plan: SeedPlan): Promise<RetryOutcome> {
  const answered = await send('PUT', `${bb}/api/queues/${plan.bigQueue}/retry/failed`);
  if (answered.status !== 200)
    return {
      retried: null,
      status: null,
      error: `PUT retry/failed answered ${String(answered.status)}: ${answered.text.slice(0, 200)}`,
    };
  const body = JSON.parse(answered.text) as { retried?: number };
  return { retried: body.retried ?? null, status: 'done', error: null };
}

/**
 * Put the big queue back as it was seeded: a worker fails every retried job again. False when
 * the jobs are not all failed again within ten minutes.
 */
export async function failAgain(
  redisUrl: string,
  plan: SeedPlan,
  log: (line: string) => void,
): Promise<boolean> {
  const connection = { url: redisUrl };
  const queue = new Queue(plan.bigQueue, { connection });
  const worker = startFailingWorker(plan.bigQueue, connection);
  try {
    const deadline = performance.now() + 600_000;
    for (;;) {
      const counts = await queue.getJobCounts('failed', 'waiting', 'active');
      if (counts.failed === plan.big.failed && counts.waiting === 0 && counts.active === 0)
        return true;
      if (performance.now() > deadline) {
        log(`console: the big queue was not failed again: ${JSON.stringify(counts)}`);
        return false;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    await worker.close();
    await queue.close();
  }
}
