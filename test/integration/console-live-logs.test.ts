import { expect } from 'chai';
import { Redis } from 'ioredis';
import type { Socket } from 'socket.io-client';
import type {
  JobLogPayload,
  JobLogsChangeAck,
} from '../../src/application/contract/socket-events.js';
import { resolve } from '../../src/bootstrap/provide.js';
import type { RunningQueuewatch } from '../../src/bootstrap/queuewatch.js';
import { TOKENS } from '../../src/bootstrap/tokens.js';
import { useInProcessQueuewatch } from '../support/in-process-queuewatch.js';
import { useRedisServer } from '../support/redis-harness.js';
import { waitFor } from '../support/wait-for.js';

/** A socket that keeps every `job-log` it receives. */
interface LogClient {
  readonly socket: Socket;
  readonly logs: JobLogPayload[];
  request(event: string, payload: unknown): Promise<JobLogsChangeAck>;
  /** Every line received, by its index in the job's log. */
  lines(): string[];
}

/** A gate a worker waits at until the test opens it. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}

describe('live job logs over the gateway (real Redis, real worker, real sockets)', () => {
  const redis = useRedisServer();
  const harness = useInProcessQueuewatch(redis, { QUEUEWATCH_QUEUES: 'reports' });

  beforeEach(async () => {
    const admin = new Redis(redis().url);
    await admin.flushall();
    admin.disconnect();
  });

  async function logClient(app: RunningQueuewatch): Promise<LogClient> {
    const client = await harness.client(app);
    const socket = client.socket as unknown as Socket;
    const logs: JobLogPayload[] = [];
    socket.on('job-log', (payload: JobLogPayload) => logs.push(payload));
    return {
      socket,
      logs,
      request: (event, payload) =>
        socket.timeout(5_000).emitWithAck(event, payload) as Promise<JobLogsChangeAck>,
      lines: () => {
        const byIndex: string[] = [];
        for (const log of logs) {
          log.lines.forEach((line, index) => {
            expect(byIndex[log.offset + index], 'a line sent twice').to.equal(undefined);
            byIndex[log.offset + index] = line;
          });
        }
        return byIndex;
      },
    };
  }

  it('should send the lines from the offset asked, then each new line as the job writes it', async function () {
    this.timeout(30_000);
    const app = await harness.start();
    const middle = gate();
    const end = gate();
    const reports = harness.queue('reports', async (job) => {
      await job.log('line 0');
      await job.log('line 1');
      await middle.wait;
      await job.log('line 2');
      await job.log('line 3');
      await end.wait;
      await job.log('line 4');
      return 'done';
    });
    await reports.add('build', {}, { jobId: 'r1' });
    await waitFor(
      'the job to log two lines',
      () => reports.getJobLogs('r1'),
      (logs) => logs.count === 2,
    );

    const first = await logClient(app);
    expect(
      await first.request('subscribe-to-job-logs', { queueName: 'reports', jobId: 'r1' }),
    ).to.deep.equal({
      ok: true,
      changed: true,
      queueName: 'reports',
      jobId: 'r1',
      count: 1,
    });
    await waitFor(
      'the first two lines',
      () => first.lines(),
      (lines) => lines.length === 2,
    );
    expect(first.logs[0]).to.deep.equal({
      queueName: 'reports',
      jobId: 'r1',
      offset: 0,
      lines: ['line 0', 'line 1'],
    });

    middle.open();
    await waitFor(
      'lines 2 and 3, live',
      () => first.lines(),
      (lines) => lines.length === 4,
    );

    const late = await logClient(app);
    await late.request('subscribe-to-job-logs', { queueName: 'reports', jobId: 'r1', offset: 3 });
    await waitFor(
      'line 3 for the late client',
      () => late.lines(),
      (lines) => lines[3] === 'line 3',
    );
    expect(late.lines().slice(0, 3)).to.deep.equal([undefined, undefined, undefined]);

    end.open();
    await waitFor(
      'line 4 for both',
      () => [first.lines(), late.lines()],
      ([a, b]) => a?.length === 5 && b?.length === 5,
    );
    expect(first.lines()).to.deep.equal(['line 0', 'line 1', 'line 2', 'line 3', 'line 4']);
  });

  it('should stop sending once unsubscribed, and stop reading once nobody follows', async function () {
    this.timeout(30_000);
    const app = await harness.start();
    const more = gate();
    const reports = harness.queue('reports', async (job) => {
      await job.log('before');
      await more.wait;
      await job.log('after');
      return 'done';
    });
    await reports.add('build', {}, { jobId: 'r2' });
    await waitFor(
      'the first line',
      () => reports.getJobLogs('r2'),
      (logs) => logs.count === 1,
    );
    const leaving = await logClient(app);
    const staying = await logClient(app);
    for (const client of [leaving, staying]) {
      await client.request('subscribe-to-job-logs', { queueName: 'reports', jobId: 'r2' });
      await waitFor(
        'the first line',
        () => client.lines(),
        (lines) => lines.length === 1,
      );
    }
    const follower = resolve(app.container, TOKENS.JobLogFollower);
    expect(follower.size).to.equal(1);
    expect(
      await leaving.request('unsubscribe-from-job-logs', { queueName: 'reports', jobId: 'r2' }),
    ).to.include({
      ok: true,
      changed: true,
      count: 0,
    });
    expect(
      await leaving.request('unsubscribe-from-job-logs', { queueName: 'reports', jobId: 'r2' }),
    ).to.include({
      changed: false,
    });
    more.open();
    await waitFor(
      'the new line for the one still subscribed',
      () => staying.lines(),
      (lines) => lines.length === 2,
    );
    // A request answered after the line went out: had it been sent to the leaving client too, it
    // would have arrived before this answer.
    await leaving.request('unsubscribe-from-job-logs', { queueName: 'reports', jobId: 'r2' });
    expect(leaving.lines()).to.deep.equal(['before']);
    staying.socket.disconnect();
    await waitFor(
      'the follower to stop following',
      () => follower.size,
      (size) => size === 0,
    );
  });

  it('should refuse a request out of shape or for a queue it does not watch, and stay connected', async function () {
    this.timeout(30_000);
    const app = await harness.start();
    const client = await logClient(app);
    for (const payload of [
      null,
      'r1',
      { queueName: 'reports' },
      { queueName: 'reports', jobId: '' },
      { queueName: 'reports', jobId: 'r1', offset: -1 },
      { queueName: 'reports', jobId: 'r1', offset: 'x' },
      { queueName: 'reports', jobId: 'r1', offset: 1.5 },
      { queueName: 'reports', jobId: 'r1', extra: true },
      { queueName: 're:ports', jobId: 'r1' },
      { queueName: 'elsewhere', jobId: 'r1' },
    ]) {
      const ack = await client.request('subscribe-to-job-logs', payload);
      expect(ack.ok, JSON.stringify(payload)).to.equal(false);
      expect(!ack.ok && ack.error.code).to.equal('QW_INVALID_PAYLOAD');
    }
    const bad = await client.request('unsubscribe-from-job-logs', { jobId: 'r1' });
    expect(bad.ok).to.equal(false);
    expect(client.socket.connected).to.equal(true);
    expect(resolve(app.container, TOKENS.JobLogFollower).size).to.equal(0);
  });
});
