import { expect } from 'chai';
import { FlowProducer } from 'bullmq';
import type { AuditBody, JobActionBody } from '../../src/application/contract/console.js';
import { failedJobs, useConsole } from '../support/console-kit.js';
import { useRedisServer } from '../support/redis-harness.js';
import { waitFor } from '../support/wait-for.js';

interface ErrorAnswer {
  readonly error: { readonly code: string; readonly message: string; readonly state?: string };
}

describe('console actions on one job (real Redis, real BullMQ workers, real HTTP)', function () {
  this.timeout(60_000);
  const redis = useRedisServer();
  const kit = useConsole(redis);

  /** A worker that holds each job until `release` is called. */
  function holdingWorker(name: string) {
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    kit.worker(name, () => released);
    return () => {
      release();
    };
  }

  describe('POST …/jobs/:id/retry', () => {
    it('should retry a failed job, which a worker then completes', async () => {
      const { call } = await kit.start(['work']);
      const queue = kit.queue<{ n: number }>('work');
      const [id] = await failedJobs(queue, redis().url, [{ name: 'charge', data: { n: 1 } }]);
      const retried = await call<JobActionBody>(
        'operator',
        'POST',
        `/api/v1/queues/work/jobs/${String(id)}/retry`,
      );
      expect(retried.status).to.equal(200);
      expect(retried.body).to.include({ action: 'retry', queueName: 'work', jobId: id });
      expect(retried.body.state).to.equal('waiting');
      kit.worker('work', () => Promise.resolve('ok'));
      await waitFor(
        'the retried job to complete',
        () => queue.getJobState(String(id)),
        (s) => s === 'completed',
      );
    });

    it('should retry a completed job', async () => {
      const { call } = await kit.start(['work']);
      const queue = kit.queue<{ n: number }>('work');
      kit.worker('work', () => Promise.resolve('ok'));
      const job = await queue.add('charge', { n: 1 });
      await waitFor(
        'the job to complete',
        () => job.getState(),
        (s) => s === 'completed',
      );
      const retried = await call<JobActionBody>(
        'operator',
        'POST',
        `/api/v1/queues/work/jobs/${String(job.id)}/retry`,
      );
      expect(retried.status).to.equal(200);
      await waitFor(
        'the job to run again',
        async () => (await queue.getJob(String(job.id)))?.finishedOn ?? 0,
        (finishedOn) => finishedOn > 0,
      );
    });

    it('should answer 409 naming the state of an active or waiting job', async () => {
      const { call } = await kit.start(['work']);
      const queue = kit.queue<{ n: number }>('work');
      const waiting = await queue.add('later', { n: 0 });
      const waitingAnswer = await call<ErrorAnswer>(
        'operator',
        'POST',
        `/api/v1/queues/work/jobs/${String(waiting.id)}/retry`,
      );
      expect(waitingAnswer.status).to.equal(409);
      expect(waitingAnswer.body.error).to.include({ code: 'QW_INVALID_STATE', state: 'waiting' });
      expect(waitingAnswer.body.error.message).to.contain('waiting');
      const release = holdingWorker('work');
      await waitFor(
        'the job to be active',
        () => waiting.getState(),
        (s) => s === 'active',
      );
      const activeAnswer = await call<ErrorAnswer>(
        'operator',
        'POST',
        `/api/v1/queues/work/jobs/${String(waiting.id)}/retry`,
      );
      expect(activeAnswer.status).to.equal(409);
      expect(activeAnswer.body.error).to.include({ code: 'QW_INVALID_STATE', state: 'active' });
      expect(activeAnswer.body.error.message).to.contain('it is active');
      release();
    });

    it('should answer 404 for an unknown job or queue', async () => {
      const { call } = await kit.start(['work']);
      const job = await call<ErrorAnswer>(
        'operator',
        'POST',
        '/api/v1/queues/work/jobs/nope/retry',
      );
      expect(job.status).to.equal(404);
      expect(job.body.error.code).to.equal('QW_NOT_FOUND');
      const queue = await call<ErrorAnswer>(
        'operator',
        'POST',
        '/api/v1/queues/other/jobs/1/retry',
      );
      expect(queue.status).to.equal(404);
    });

    it('should retry a job exactly once when operators retry it at the same moment', async () => {
      const { call } = await kit.start(['race']);
      const queue = kit.queue<{ n: number }>('race');
      const ids = await failedJobs(
        queue,
        redis().url,
        Array.from({ length: 20 }, (_, n) => ({ name: 'charge', data: { n } })),
      );
      const operators = 8;
      const answers = await Promise.all(
        ids.flatMap((id) =>
          Array.from({ length: operators }, (_, n) =>
            call<JobActionBody | ErrorAnswer>(
              n % 2 === 0 ? 'operator' : 'admin',
              'POST',
              `/api/v1/queues/race/jobs/${id}/retry`,
            ).then((answer) => ({ id, ...answer })),
          ),
        ),
      );
      for (const id of ids) {
        const mine = answers.filter((answer) => answer.id === id);
        expect(
          mine.filter((answer) => answer.status === 200),
          `job ${id}`,
        ).to.have.length(1);
        const refused = mine.filter((answer) => answer.status === 409);
        expect(refused, `job ${id}`).to.have.length(operators - 1);
        for (const answer of refused) {
          expect((answer.body as ErrorAnswer).error).to.include({
            code: 'QW_INVALID_STATE',
            state: 'waiting',
          });
        }
      }
      // Counted in Redis: each id once in the wait list, one `waiting` event from failed each.
      const wait = await kit.redis().lrange('bull:race:wait', 0, -1);
      expect([...wait].sort()).to.deep.equal([...ids].sort());
      const events = await kit.redis().xrange('bull:race:events', '-', '+');
      const moves = events.filter(([, fields]) => {
        const at = (name: string) => fields[fields.indexOf(name) + 1];
        return at('event') === 'waiting' && at('prev') === 'failed';
      });
      expect(moves).to.have.length(ids.length);
      const audit = await call<AuditBody>('admin', 'GET', '/api/v1/audit?limit=1000');
      const retries = audit.body.entries.filter((entry) => entry.action === 'retry');
      expect(retries.filter((entry) => entry.outcome.status === 'done')).to.have.length(ids.length);
      expect(retries.filter((entry) => entry.outcome.status === 'refused')).to.have.length(
        ids.length * (operators - 1),
      );
    });
  });

  describe('POST …/jobs/:id/promote', () => {
    it('should promote a delayed job and refuse a waiting one with 409', async () => {
      const { call } = await kit.start(['work']);
      const queue = kit.queue<{ n: number }>('work');
      const delayed = await queue.add('later', { n: 1 }, { delay: 3_600_000 });
      const promoted = await call<JobActionBody>(
        'operator',
        'POST',
        `/api/v1/queues/work/jobs/${String(delayed.id)}/promote`,
      );
      expect(promoted.status).to.equal(200);
      expect(promoted.body).to.include({ action: 'promote', state: 'waiting' });
      const again = await call<ErrorAnswer>(
        'operator',
        'POST',
        `/api/v1/queues/work/jobs/${String(delayed.id)}/promote`,
      );
      expect(again.status).to.equal(409);
      expect(again.body.error).to.include({ code: 'QW_INVALID_STATE', state: 'waiting' });
      kit.worker('work', () => Promise.resolve('ok'));
      await waitFor(
        'the promoted job to complete',
        () => delayed.getState(),
        (s) => s === 'completed',
      );
    });
  });

  describe('DELETE …/jobs/:id?children=', () => {
    it('should require children=true or children=false', async () => {
      const { call } = await kit.start(['work']);
      const queue = kit.queue<{ n: number }>('work');
      const job = await queue.add('x', { n: 1 });
      for (const query of ['', '?children=', '?children=yes']) {
        const answer = await call<ErrorAnswer>(
          'admin',
          'DELETE',
          `/api/v1/queues/work/jobs/${String(job.id)}${query}`,
        );
        expect(answer.status, query).to.equal(400);
        expect(answer.body.error.message).to.contain('children=true');
      }
      expect(await job.getState()).to.equal('waiting');
    });

    it('should remove a parent with its children, or leave them, as said', async () => {
      const { call } = await kit.start(['parents', 'kids']);
      const flows = new FlowProducer({ connection: { url: redis().url } });
      kit.closers.push(() => flows.close());
      const add = (name: string) =>
        flows.add({
          name,
          queueName: 'parents',
          data: {},
          children: [{ name: `${name}-kid`, queueName: 'kids', data: {} }],
        });
      const withKids = await add('a');
      const alone = await add('b');
      const removed = await call<JobActionBody>(
        'admin',
        'DELETE',
        `/api/v1/queues/parents/jobs/${String(withKids.job.id)}?children=true`,
      );
      expect(removed.status).to.equal(200);
      expect(removed.body).to.include({ action: 'remove', state: 'unknown' });
      const kids = kit.queue('kids');
      expect(await kids.getJob(String(withKids.children?.[0]?.job.id))).to.equal(undefined);
      const kept = await call(
        'admin',
        'DELETE',
        `/api/v1/queues/parents/jobs/${String(alone.job.id)}?children=false`,
      );
      expect(kept.status).to.equal(200);
      expect(await kids.getJob(String(alone.children?.[0]?.job.id))).to.not.equal(undefined);
    });

    it('should refuse to remove an active job with 409', async () => {
      const { call } = await kit.start(['work']);
      const queue = kit.queue<{ n: number }>('work');
      const job = await queue.add('x', { n: 1 });
      const release = holdingWorker('work');
      await waitFor(
        'the job to be active',
        () => job.getState(),
        (s) => s === 'active',
      );
      const answer = await call<ErrorAnswer>(
        'admin',
        'DELETE',
        `/api/v1/queues/work/jobs/${String(job.id)}?children=false`,
      );
      expect(answer.status).to.equal(409);
      expect(answer.body.error).to.include({ code: 'QW_INVALID_STATE', state: 'active' });
      release();
    });
  });

  describe('POST …/jobs/:id/duplicate', () => {
    it('should add a job with the same name, data and options under a new id', async () => {
      const { call } = await kit.start(['work']);
      const queue = kit.queue<{ n: number }>('work');
      const job = await queue.add(
        'charge',
        { n: 7 },
        { jobId: 'custom-1', attempts: 3, priority: 5 },
      );
      const answer = await call<JobActionBody>(
        'operator',
        'POST',
        '/api/v1/queues/work/jobs/custom-1/duplicate',
      );
      expect(answer.status).to.equal(200);
      expect(answer.body).to.include({ action: 'duplicate', jobId: 'custom-1' });
      const newJobId = String(answer.body.newJobId);
      expect(newJobId).to.not.equal(String(job.id));
      const copy = await queue.getJob(newJobId);
      expect(copy?.name).to.equal('charge');
      expect(copy?.data).to.deep.equal({ n: 7 });
      expect(copy?.opts.attempts).to.equal(3);
      expect(copy?.opts.priority).to.equal(5);
    });
  });
});
