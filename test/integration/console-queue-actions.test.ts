import { expect } from 'chai';
import type {
  DrainBody,
  QueuePauseBody,
  ReenqueueBody,
} from '../../src/application/contract/console.js';
import type { RecentFailedJobsBody } from '../../src/application/contract/failed-jobs.js';
import { useConsole, type ConsoleApp } from '../support/console-kit.js';
import { useRedisServer } from '../support/redis-harness.js';
import { waitFor } from '../support/wait-for.js';

interface ErrorAnswer {
  readonly error: { readonly code: string; readonly message: string; readonly state?: string };
}

describe('console actions on queues and dead letters (real Redis, real BullMQ workers)', function () {
  this.timeout(60_000);
  const redis = useRedisServer();
  const kit = useConsole(redis);

  describe('POST /api/v1/queues/:queue/pause and /resume', () => {
    it('should pause a queue, and resume it so its jobs run', async () => {
      const { call } = await kit.start(['work']);
      const queue = kit.queue<{ n: number }>('work');
      const paused = await call<QueuePauseBody>('operator', 'POST', '/api/v1/queues/work/pause');
      expect(paused.status).to.equal(200);
      expect(paused.body).to.deep.equal({ queueName: 'work', paused: true });
      expect(await queue.isPaused()).to.equal(true);
      const job = await queue.add('x', { n: 1 });
      kit.worker('work', () => Promise.resolve('ok'));
      const resumed = await call<QueuePauseBody>('operator', 'POST', '/api/v1/queues/work/resume');
      expect(resumed.body).to.deep.equal({ queueName: 'work', paused: false });
      await waitFor(
        'the job to complete once resumed',
        () => job.getState(),
        (s) => s === 'completed',
      );
    });

    it('should answer 404 for a queue it does not watch, and 403 for a viewer', async () => {
      const { call } = await kit.start(['work']);
      expect((await call('operator', 'POST', '/api/v1/queues/other/pause')).status).to.equal(404);
      const viewer = await call<ErrorAnswer>('viewer', 'POST', '/api/v1/queues/work/resume');
      expect(viewer.status).to.equal(403);
      expect(viewer.body.error.message).to.contain('operator');
    });
  });

  describe('POST /api/v1/queues/:queue/drain', () => {
    it('should remove the waiting jobs, and the delayed ones only when asked', async () => {
      const { call } = await kit.start(['work']);
      const queue = kit.queue<{ n: number }>('work');
      await queue.addBulk(Array.from({ length: 30 }, (_, n) => ({ name: 'w', data: { n } })));
      await queue.addBulk(
        Array.from({ length: 5 }, (_, n) => ({
          name: 'd',
          data: { n },
          opts: { delay: 3_600_000 },
        })),
      );
      const waiting = await call<DrainBody>('admin', 'POST', '/api/v1/queues/work/drain', {});
      expect(waiting.status).to.equal(200);
      expect(waiting.body).to.deep.equal({ queueName: 'work', count: 30 });
      expect(await queue.getJobCountByTypes('delayed')).to.equal(5);
      const delayed = await call<DrainBody>('admin', 'POST', '/api/v1/queues/work/drain', {
        delayed: true,
      });
      expect(delayed.body.count).to.equal(5);
      expect(await queue.getJobCountByTypes('delayed', 'wait')).to.equal(0);
    });

    it('should answer 400 for a body it does not know', async () => {
      const { call } = await kit.start(['work']);
      for (const body of [{ delayed: 'yes' }, { all: true }]) {
        const answer = await call<ErrorAnswer>('admin', 'POST', '/api/v1/queues/work/drain', body);
        expect(answer.status, JSON.stringify(body)).to.equal(400);
      }
    });
  });

  describe('POST /api/v1/dead-letters/:recordId/reenqueue', () => {
    async function deadLetterOf(console: ConsoleApp, jobId: string) {
      const answer = await waitFor(
        `a dead-letter record of job ${jobId}`,
        () =>
          console.call<RecentFailedJobsBody>(
            'viewer',
            'GET',
            '/api/v1/jobs/failed/recent?limit=50',
          ),
        (each) => each.body.jobs.some((record) => record.jobId === jobId),
      );
      const record = answer.body.jobs.find((each) => each.jobId === jobId);
      if (!record) throw new Error('no record');
      return record;
    }

    it('should add the failed job again to its queue, as a copy of the original', async () => {
      const console = await kit.start(['work']);
      const queue = kit.queue<{ n: number }>('work');
      const worker = kit.worker<{ n: number }>('work', () => Promise.reject(new Error('boom')));
      const job = await queue.add('charge', { n: 42 }, { attempts: 2 });
      await waitFor(
        'the job to fail for good',
        () => job.getState(),
        (s) => s === 'failed',
      );
      const record = await deadLetterOf(console, String(job.id));
      await worker.close();
      const answer = await console.call<ReenqueueBody>(
        'operator',
        'POST',
        `/api/v1/dead-letters/${encodeURIComponent(record.id)}/reenqueue`,
      );
      expect(answer.status).to.equal(201);
      expect(answer.body.queueName).to.equal('work');
      expect(answer.body.jobId).to.not.equal(String(job.id));
      const copy = await queue.getJob(answer.body.jobId);
      expect(copy?.name).to.equal('charge');
      expect(copy?.data).to.deep.equal({ n: 42 });
      expect(copy?.opts.attempts).to.equal(2);
    });

    it("should use the record's name and data once the job is gone", async () => {
      const console = await kit.start(['work']);
      const queue = kit.queue<{ n: number }>('work');
      const worker = kit.worker<{ n: number }>('work', () => Promise.reject(new Error('boom')));
      const job = await queue.add('charge', { n: 7 });
      const record = await deadLetterOf(console, String(job.id));
      await worker.close();
      await job.remove();
      const answer = await console.call<ReenqueueBody>(
        'operator',
        'POST',
        `/api/v1/dead-letters/${encodeURIComponent(record.id)}/reenqueue`,
      );
      expect(answer.status).to.equal(201);
      const copy = await queue.getJob(answer.body.jobId);
      expect(copy?.name).to.equal('charge');
      expect(copy?.data).to.deep.equal({ n: 7 });
    });

    it('should answer 404 for a record it does not have', async () => {
      const { call } = await kit.start(['work']);
      const answer = await call<ErrorAnswer>(
        'operator',
        'POST',
        '/api/v1/dead-letters/nope/reenqueue',
      );
      expect(answer.status).to.equal(404);
      expect(answer.body.error.code).to.equal('QW_NOT_FOUND');
    });
  });
});
