import { expect } from 'chai';
import type { AlertsBody } from '../../src/application/contract/alerts.js';
import type { AuditBody, OperationBody } from '../../src/application/contract/console.js';
import type { FailedJobStatsBody } from '../../src/application/contract/failed-jobs.js';
import { consoleTokens, failedJobs, useConsole, type ConsoleApp } from '../support/console-kit.js';
import { useRedisServer } from '../support/redis-harness.js';
import { RecordingClient } from '../support/socket-clients.js';
import { waitFor } from '../support/wait-for.js';

interface ErrorAnswer {
  readonly error: { readonly code: string; readonly message: string };
}

describe('console bulk operations (real Redis, real BullMQ workers, real HTTP and sockets)', function () {
  this.timeout(120_000);
  const redis = useRedisServer();
  const kit = useConsole(redis);

  /** Operation progress as a client connected with a viewer token receives it. */
  async function progressOf(console: ConsoleApp): Promise<OperationBody[]> {
    const client = await RecordingClient.connect(console.app.url, { token: consoleTokens.viewer });
    kit.closers.push(() => {
      client.close();
    });
    const seen: OperationBody[] = [];
    client.socket.on('operation-progress' as never, (operation: OperationBody) => {
      seen.push(operation);
    });
    return seen;
  }

  async function finished(console: ConsoleApp, id: string): Promise<OperationBody> {
    const answer = await waitFor(
      `operation ${id} to end`,
      () => console.call<OperationBody>('viewer', 'GET', `/api/v1/operations/${id}`),
      (each) => each.status === 200 && each.body.status !== 'running',
      60_000,
    );
    return answer.body;
  }

  describe('POST /api/v1/queues/:queue/retry-all', () => {
    it('should retry each of 2,000 failed jobs exactly once, in chunks, reporting progress', async () => {
      const console = await kit.start(['bulk']);
      const queue = kit.queue<{ n: number }>('bulk');
      const ids = await failedJobs(
        queue,
        redis().url,
        Array.from({ length: 2_000 }, (_, n) => ({ name: 'charge', data: { n } })),
      );
      const progress = await progressOf(console);
      // Every retried job fails again: retried twice, it would run twice.
      const runs = new Map<string, number>();
      kit.worker(
        'bulk',
        (job) => {
          runs.set(String(job.id), (runs.get(String(job.id)) ?? 0) + 1);
          throw new Error('still broken');
        },
        50,
      );
      const started = await console.call<OperationBody>(
        'operator',
        'POST',
        '/api/v1/queues/bulk/retry-all',
        {},
      );
      expect(started.status).to.equal(202);
      expect(started.body).to.include({
        action: 'retry-all',
        queueName: 'bulk',
        status: 'running',
        total: 2_000,
      });
      const ended = await finished(console, started.body.id);
      expect(ended).to.include({ status: 'done', done: 2_000, total: 2_000 });
      await waitFor(
        'every retried job to have failed again',
        async () => ({ failed: await queue.getJobCountByTypes('failed'), runs: runs.size }),
        (seen) => seen.failed === 2_000 && seen.runs === 2_000,
        60_000,
      );
      expect(await queue.getJobCountByTypes('wait', 'active')).to.equal(0);
      for (const id of ids) expect(runs.get(id), `job ${id}`).to.equal(1);
      const mine = progress.filter((each) => each.id === started.body.id);
      // One report per chunk (the first of 50, each at most twice the one before), and one at
      // the start and at the end: 50 + 100 + 200 + 400 + 800 < 2,000, so at least 6 chunks.
      expect(mine.filter((each) => each.status === 'running').length).to.be.at.least(6);
      expect(mine.at(-1)).to.include({ status: 'done', done: 2_000 });
      const audit = await console.call<AuditBody>('admin', 'GET', '/api/v1/audit?limit=5');
      expect(audit.body.entries[0]).to.deep.include({
        who: 'operator',
        action: 'retry-all',
        queueName: 'bulk',
        outcome: { status: 'done', count: 2_000 },
      });
    });

    it('should retry only the failed jobs of a name whose reason contains a text', async () => {
      const console = await kit.start(['bulk']);
      const queue = kit.queue<{ n: number }>('bulk');
      const jobs = Array.from({ length: 40 }, (_, n) => ({
        name: n % 2 === 0 ? 'charge' : 'refund',
        data: { n },
      }));
      const ids = await failedJobs(queue, redis().url, jobs, (job) =>
        job.data.n % 4 < 2 ? 'gateway timeout' : 'card refused',
      );
      const started = await console.call<OperationBody>(
        'operator',
        'POST',
        '/api/v1/queues/bulk/retry-all',
        {
          name: 'charge',
          reason: 'timeout',
        },
      );
      expect(started.status).to.equal(202);
      expect(started.body.total).to.equal(null);
      const ended = await finished(console, started.body.id);
      const expected = ids.filter((_, n) => n % 2 === 0 && n % 4 < 2);
      expect(ended).to.include({ status: 'done', done: expected.length });
      const waiting = await kit.redis().lrange('bull:bulk:wait', 0, -1);
      expect([...waiting].sort()).to.deep.equal([...expected].sort());
      expect(await queue.getJobCountByTypes('failed')).to.equal(40 - expected.length);
    });

    it('should answer 400 for an unknown field or an empty filter, 404 for an unknown queue', async () => {
      const console = await kit.start(['bulk']);
      for (const body of [{ names: 'x' }, { name: '' }, { reason: 3 }]) {
        const answer = await console.call<ErrorAnswer>(
          'operator',
          'POST',
          '/api/v1/queues/bulk/retry-all',
          body,
        );
        expect(answer.status, JSON.stringify(body)).to.equal(400);
      }
      const unknown = await console.call<ErrorAnswer>(
        'operator',
        'POST',
        '/api/v1/queues/nope/retry-all',
        {},
      );
      expect(unknown.status).to.equal(404);
      const viewer = await console.call<ErrorAnswer>(
        'viewer',
        'POST',
        '/api/v1/queues/bulk/retry-all',
        {},
      );
      expect(viewer.status).to.equal(403);
      expect(viewer.body.error.code).to.equal('QW_FORBIDDEN_ROLE');
    });
  });

  describe('POST /api/v1/queues/:queue/promote-all', () => {
    it('should move every delayed job to wait', async () => {
      const console = await kit.start(['bulk']);
      const queue = kit.queue<{ n: number }>('bulk');
      await queue.addBulk(
        Array.from({ length: 1_200 }, (_, n) => ({
          name: 'later',
          data: { n },
          opts: { delay: 3_600_000 },
        })),
      );
      const started = await console.call<OperationBody>(
        'operator',
        'POST',
        '/api/v1/queues/bulk/promote-all',
        {},
      );
      expect(started.status).to.equal(202);
      expect(started.body.total).to.equal(1_200);
      const ended = await finished(console, started.body.id);
      expect(ended).to.include({ status: 'done', done: 1_200 });
      expect(await queue.getJobCountByTypes('delayed')).to.equal(0);
      expect(await queue.getJobCountByTypes('wait')).to.equal(1_200);
    });
  });

  describe('POST /api/v1/queues/:queue/clean', () => {
    it('should remove the jobs of a state older than the grace period, and keep younger ones', async () => {
      const console = await kit.start(['bulk']);
      const queue = kit.queue<{ n: number }>('bulk');
      await failedJobs(
        queue,
        redis().url,
        Array.from({ length: 700 }, (_, n) => ({ name: 'x', data: { n } })),
      );
      const kept = await console.call<OperationBody>('admin', 'POST', '/api/v1/queues/bulk/clean', {
        state: 'failed',
        graceMs: 3_600_000,
      });
      expect((await finished(console, kept.body.id)).done).to.equal(0);
      expect(await queue.getJobCountByTypes('failed')).to.equal(700);
      const cleaned = await console.call<OperationBody>(
        'admin',
        'POST',
        '/api/v1/queues/bulk/clean',
        {
          state: 'failed',
          graceMs: 0,
        },
      );
      expect(cleaned.status).to.equal(202);
      expect(await finished(console, cleaned.body.id)).to.include({ status: 'done', done: 700 });
      expect(await queue.getJobCountByTypes('failed')).to.equal(0);
    });

    it('should answer 400 for a state it cannot clean or a bad grace period; an operator gets 403', async () => {
      const console = await kit.start(['bulk']);
      for (const body of [
        { state: 'active', graceMs: 0 },
        { state: 'failed', graceMs: -1 },
        { state: 'failed' },
      ]) {
        const answer = await console.call<ErrorAnswer>(
          'admin',
          'POST',
          '/api/v1/queues/bulk/clean',
          body,
        );
        expect(answer.status, JSON.stringify(body)).to.equal(400);
      }
      const operator = await console.call<ErrorAnswer>(
        'operator',
        'POST',
        '/api/v1/queues/bulk/clean',
        {
          state: 'failed',
          graceMs: 0,
        },
      );
      expect(operator.status).to.equal(403);
      expect(operator.body.error.message).to.contain('admin');
    });
  });

  describe('POST /api/v1/operations/:id/cancel', () => {
    it('should stop a running retry-all after the chunk in flight, with the count so far', async () => {
      const console = await kit.start(['bulk']);
      const queue = kit.queue<{ n: number }>('bulk');
      await failedJobs(
        queue,
        redis().url,
        Array.from({ length: 1_000 }, (_, n) => ({ name: 'charge', data: { n } })),
      );
      // Queuewatch's own writes about those failures done first (dead letters, the alert and its
      // delivery): a paused write would hold every later command of its connection.
      await waitFor(
        'the dead letters and the alert to be written',
        async () => ({
          stats: (
            await console.call<FailedJobStatsBody>('viewer', 'GET', '/api/v1/jobs/failed/stats')
          ).body,
          alerts: (await console.call<AlertsBody>('viewer', 'GET', '/api/v1/alerts')).body,
        }),
        ({ stats, alerts }) =>
          stats.deadLetterQueue.size >= 1_000 &&
          alerts.alerts.some(
            (record) =>
              record.deliveries.length > 0 &&
              record.deliveries.every((delivery) => delivery.state === 'delivered'),
          ),
        30_000,
      );
      // Redis holds every write (its first chunk included) until the cancel is in.
      await kit.redis().call('CLIENT', 'PAUSE', '10000', 'WRITE');
      let started: Awaited<ReturnType<typeof console.call<OperationBody>>>;
      let cancelled: Awaited<ReturnType<typeof console.call<OperationBody>>>;
      try {
        started = await console.call<OperationBody>(
          'operator',
          'POST',
          '/api/v1/queues/bulk/retry-all',
          {},
        );
        expect(started.body).to.include({ status: 'running', done: 0, total: 1_000 });
        const cancelling = console.call<OperationBody>(
          'admin',
          'POST',
          `/api/v1/operations/${started.body.id}/cancel`,
        );
        // Asked at once: logged before its audit entry, which waits on Redis like the chunk.
        await waitFor(
          'the cancel to be asked',
          () =>
            console.logger.lines.some(
              (line) =>
                (line.context?.filter as { cancelOperation?: string } | null | undefined)
                  ?.cancelOperation === started.body.id,
            ),
          (asked) => asked,
        );
        await kit.redis().call('CLIENT', 'UNPAUSE');
        cancelled = await cancelling;
      } finally {
        await kit.redis().call('CLIENT', 'UNPAUSE');
      }
      expect(cancelled.status).to.equal(200);
      const ended = await finished(console, started.body.id);
      // The first chunk, of 50 jobs, was in flight.
      expect(ended).to.include({ status: 'cancelled', done: 50 });
      expect(await queue.getJobCountByTypes('failed')).to.equal(950);
      expect(await queue.getJobCountByTypes('wait')).to.equal(50);
      const audit = await console.call<AuditBody>('admin', 'GET', '/api/v1/audit?limit=5');
      const outcomes = audit.body.entries.map((entry) => [entry.who, entry.outcome.status]);
      expect(outcomes).to.deep.include.members([
        ['admin', 'cancelled'],
        ['operator', 'cancelled'],
      ]);
    });
  });

  describe('operations', () => {
    it('should answer 404 for an operation this instance does not know, and cancel a finished one as it was', async () => {
      const console = await kit.start(['bulk']);
      const missing = await console.call<ErrorAnswer>('viewer', 'GET', '/api/v1/operations/nope');
      expect(missing.status).to.equal(404);
      const started = await console.call<OperationBody>(
        'operator',
        'POST',
        '/api/v1/queues/bulk/promote-all',
        {},
      );
      const ended = await finished(console, started.body.id);
      const byViewer = await console.call<ErrorAnswer>(
        'viewer',
        'POST',
        `/api/v1/operations/${ended.id}/cancel`,
      );
      expect(byViewer.status).to.equal(403);
      const cancelled = await console.call<OperationBody>(
        'operator',
        'POST',
        `/api/v1/operations/${ended.id}/cancel`,
      );
      expect(cancelled.status).to.equal(200);
      expect(cancelled.body).to.deep.equal(ended);
    });
  });
});
