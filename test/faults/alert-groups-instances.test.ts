import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type {
  AlertsBody,
  FiringAlertsBody,
  SilenceBody,
} from '../../src/application/contract/alerts.js';
import type { FailedJobStatsBody } from '../../src/application/contract/failed-jobs.js';
import type { Alert, MemberAlert } from '../../src/domain/alerting/alert.js';
import { groupFlushJobName } from '../../src/adapters/bullmq/alert-jobs.js';
import { alertJobsQueue, alertQueuesSettled } from '../support/alert-queues.js';
import { HttpReceiver } from '../support/http-receiver.js';
import { pagerSecret } from '../support/pager-config.js';
import { startQueuewatchProcess, type QueuewatchProcess } from '../support/queuewatch-process.js';
import { useRedisServer } from '../support/redis-harness.js';
import { waitFor } from '../support/wait-for.js';

const queueNames = ['q1', 'q2', 'q3', 'q4', 'q5', 'q6'];

/** What each notification the receiver got lists: `queue:status`. */
function listed(receiver: HttpReceiver): string[][] {
  return receiver.requests.map((request) => {
    const alert = (JSON.parse(request.body) as { data: Alert }).data;
    return (alert.alerts ?? [alert as MemberAlert]).map(
      (member) => `${member.context.queueName}:${member.status}`,
    );
  });
}

describe('alert groups across three Queuewatch processes (real Redis, real processes, SIGKILL)', () => {
  const redis = useRedisServer();
  const closers: (() => unknown)[] = [];
  let dir: string;
  let receiver: HttpReceiver;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'qw-groups-'));
    receiver = await HttpReceiver.start();
    receiver.fallback = { status: 204 };
    const admin = new Redis(redis().url);
    await admin.flushall();
    admin.disconnect();
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await receiver.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function instance(
    id: string,
    route: Record<string, unknown>,
    rules: Record<string, unknown> = {},
  ): Promise<QueuewatchProcess> {
    const path = join(dir, 'queuewatch.json');
    await writeFile(
      path,
      JSON.stringify({
        queues: queueNames.map((name) => ({ name, priority: 'high' })),
        alerts: {
          failureThreshold: { count: 2, windowMs: 600_000, clearCount: 0 },
          evaluateIntervalMs: 200,
          delivery: { baseDelayMs: 200 },
          destinations: [
            { name: 'pager', type: 'webhook', url: `${receiver.url}/hook`, secret: pagerSecret },
          ],
          route,
          ...(Object.keys(rules).length > 0 ? { rules } : {}),
        },
      }),
    );
    const started = await startQueuewatchProcess({
      REDIS_URL: redis().url,
      QUEUEWATCH_QUEUES: queueNames.join(','),
      QUEUEWATCH_CONFIG: path,
      QUEUEWATCH_INSTANCE_ID: id,
    });
    closers.push(() => started.stop());
    return started;
  }

  async function fail(name: string, count: number): Promise<void> {
    const queue = new Queue(name, { connection: { url: redis().url } });
    const worker = new Worker(
      name,
      (job) => Promise.reject(new UnrecoverableError(`job ${String(job.id)} failed`)),
      { connection: { url: redis().url } },
    );
    closers.push(
      () => queue.close(),
      () => worker.close(true),
    );
    await queue.addBulk(
      Array.from({ length: count }, (_, index) => ({
        name: 'bad',
        data: {},
        opts: { jobId: `b${String(index)}` },
      })),
    );
  }

  async function firingEverywhere(instances: QueuewatchProcess[], names: string[]): Promise<void> {
    for (const running of instances) {
      await waitFor(
        `${running.url} to fire for ${names.join(', ')}`,
        async () =>
          (await (
            await fetch(`${running.url}/api/v1/jobs/failed/stats`)
          ).json()) as FailedJobStatsBody,
        (body) =>
          names.every(
            (name) =>
              body.monitoredQueues.find((queue) => queue.queueName === name)?.alert.status ===
              'firing',
          ),
        20_000,
      );
    }
  }

  it('should send one notification per group per destination, and honour a silence created on one instance on all three', async function () {
    this.timeout(120_000);
    const route = { groupBy: ['rule', 'queue'], groupWaitMs: 2_000, groupIntervalMs: 60_000 };
    const instances = await Promise.all(['a', 'b', 'c'].map((id) => instance(id, route)));
    const silence = await fetch(`${instances[1]!.url}/api/v1/silences`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        matchers: [{ label: 'queue', op: '=~', value: 'q[456]' }],
        endsAt: new Date(Date.now() + 3_600_000).toISOString(),
        comment: 'half the queues are in maintenance',
      }),
    });
    const created = (await silence.json()) as SilenceBody;
    expect(silence.status).to.equal(201);

    await Promise.all(queueNames.map((name) => fail(name, 2)));
    await firingEverywhere(instances, queueNames);
    await receiver.received(3, 20_000);
    await alertQueuesSettled(redis().url);
    // Six groups flushed, on whichever instance was free: three sent, once each; three held back.
    expect(
      listed(receiver)
        .map((names) => names.join())
        .sort(),
    ).to.deep.equal(['q1:firing', 'q2:firing', 'q3:firing']);
    const records = (
      (await (await fetch(`${instances[2]!.url}/api/v1/alerts`)).json()) as AlertsBody
    ).alerts;
    const held = records.filter((record) => record.suppressed?.silencedBy.includes(created.id));
    expect(held.map((record) => record.alert.context.queueName).sort()).to.deep.equal([
      'q4',
      'q5',
      'q6',
    ]);
  });

  it('should neither lose nor repeat a group’s notification when instances are killed during its group wait', async function () {
    this.timeout(120_000);
    const route = { groupBy: ['rule'], groupWaitMs: 6_000, groupIntervalMs: 60_000 };
    const instances = await Promise.all(['a', 'b', 'c'].map((id) => instance(id, route)));
    await Promise.all(['q1', 'q2'].map((name) => fail(name, 2)));
    await firingEverywhere(instances, ['q1', 'q2']);
    const jobs = alertJobsQueue(redis().url);
    closers.push(() => jobs.close());
    // The group waits: its first flush is a delayed job; every instance is killed before it is due.
    const [waiting] = (await jobs.getJobs(['delayed'])).filter(
      (job) => job.name === groupFlushJobName,
    );
    expect(waiting, 'a flush waiting for the group wait').to.not.equal(undefined);
    expect(waiting!.timestamp + waiting!.delay).to.be.greaterThan(Date.now());
    await Promise.all(instances.map((running) => running.kill()));
    expect(receiver.requests).to.have.length(0);

    const restarted = await Promise.all(['a', 'b'].map((id) => instance(id, route)));
    await receiver.received(1, 30_000);
    await firingEverywhere(restarted, ['q1', 'q2']);
    await alertQueuesSettled(redis().url);
    expect(listed(receiver)).to.have.length(1);
    expect([...listed(receiver)[0]!].sort()).to.deep.equal(['q1:firing', 'q2:firing']);
  });

  /** Wait until `count` more group flushes have run, on whichever instances. */
  async function moreFlushes(count: number): Promise<void> {
    const jobs = alertJobsQueue(redis().url);
    try {
      const completed = async () =>
        (await jobs.getJobs(['completed'])).filter((job) => job.name === groupFlushJobName).length;
      const from = await completed();
      await waitFor(
        `${String(count)} more group flushes`,
        completed,
        (now) => now >= from + count,
        20_000,
      );
    } finally {
      await jobs.close();
    }
  }

  it('should honour an inhibition on all three: a paused queue’s backlog held back, then sent once after the resume', async function () {
    this.timeout(120_000);
    const route = { groupBy: ['rule', 'queue'], groupWaitMs: 0, groupIntervalMs: 300 };
    const rules = { backlog: { count: 2, forMs: 0 }, 'queue-paused': {} };
    const instances = await Promise.all(['a', 'b', 'c'].map((id) => instance(id, route, rules)));
    const queue = new Queue('q1', { connection: { url: redis().url } });
    closers.push(() => queue.close());
    await queue.pause();
    await queue.addBulk([1, 2, 3].map((n) => ({ name: 'waits', data: { n } })));
    // Every instance sees the backlog and the pause; whichever flushes holds the backlog back.
    for (const running of instances) {
      await waitFor(
        `${running.url} to hold the backlog back`,
        async () =>
          ((await (await fetch(`${running.url}/api/v1/alerts/firing`)).json()) as FiringAlertsBody)
            .alerts,
        (alerts) =>
          alerts.some((entry) => entry.alert.rule === 'backlog' && entry.inhibitedBy.length === 1),
        20_000,
      );
    }
    await waitFor(
      'the held-back backlog alert to be recorded',
      async () =>
        ((await (await fetch(`${instances[0]!.url}/api/v1/alerts`)).json()) as AlertsBody).alerts,
      (alerts) => alerts.some((record) => record.alert.rule === 'backlog' && record.suppressed),
      20_000,
    );
    await moreFlushes(3);
    expect(receiver.requests, 'nothing sent while the queue is paused').to.have.length(0);

    await queue.resume();
    await receiver.received(1, 20_000);
    // The group keeps flushing while the backlog fires: three more flushes add nothing.
    await moreFlushes(3);
    expect(listed(receiver)).to.deep.equal([['q1:firing']]);
    const alert = (JSON.parse(receiver.requests[0]!.body) as { data: Alert }).data;
    expect(alert.rule).to.equal('backlog');
  });
});
