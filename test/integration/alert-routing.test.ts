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
  TestAlertBody,
} from '../../src/application/contract/alerts.js';
import type { Alert, MemberAlert } from '../../src/domain/alerting/alert.js';
import { loadConfig } from '../../src/bootstrap/config/load-config.js';
import { startQueuewatch, type RunningQueuewatch } from '../../src/bootstrap/queuewatch.js';
import { HttpReceiver, type ReceivedRequest } from '../support/http-receiver.js';
import { pagerSecret } from '../support/pager-config.js';
import { RecordingLogger } from '../support/recording-logger.js';
import { useRedisServer } from '../support/redis-harness.js';
import { waitFor } from '../support/wait-for.js';

/** An HTTP answer: its status and its JSON body. */
interface Answer<T> {
  readonly status: number;
  readonly body: T;
}

/** The alert a signed webhook carried. */
function alertOf(request: ReceivedRequest | undefined): Alert {
  return (JSON.parse(request?.body ?? '{}') as { data: Alert }).data;
}

/** Every alert a notification lists (itself when it lists none). */
function membersOf(request: ReceivedRequest | undefined): readonly MemberAlert[] {
  const alert = alertOf(request);
  return alert.alerts ?? [alert];
}

function queuesOf(receiver: HttpReceiver): string[] {
  return receiver.requests.flatMap((request) =>
    membersOf(request).map((member) => `${member.context.queueName}:${member.status}`),
  );
}

describe('alert routing, grouping, silences and inhibition (real Redis, real workers, real HTTP receivers)', () => {
  const redis = useRedisServer();
  const closers: (() => unknown)[] = [];
  let dir: string;
  let pager: HttpReceiver;
  let chat: HttpReceiver;
  let audit: HttpReceiver;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'qw-routing-'));
    [pager, chat, audit] = await Promise.all([
      HttpReceiver.start(),
      HttpReceiver.start(),
      HttpReceiver.start(),
    ]);
    for (const receiver of [pager, chat, audit]) receiver.fallback = { status: 204 };
    const admin = new Redis(redis().url);
    await admin.flushall();
    admin.disconnect();
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await Promise.all([pager.stop(), chat.stop(), audit.stop()]);
    await rm(dir, { recursive: true, force: true });
  });

  const destination = (name: string, receiver: HttpReceiver) => ({
    name,
    type: 'webhook',
    url: `${receiver.url}/${name}`,
    secret: pagerSecret,
  });

  async function start(alerts: Record<string, unknown>): Promise<RunningQueuewatch> {
    const path = join(dir, 'queuewatch.json');
    await writeFile(
      path,
      JSON.stringify({
        queues: [
          { name: 'payments', priority: 'high' },
          { name: 'emails', priority: 'low', labels: { team: 'growth' } },
        ],
        alerts: {
          failureThreshold: { count: 3, windowMs: 60_000, clearCount: 1 },
          evaluateIntervalMs: 200,
          delivery: { attempts: 5, baseDelayMs: 200, maxDelayMs: 1_000 },
          destinations: [
            destination('pager', pager),
            destination('chat', chat),
            destination('audit', audit),
          ],
          ...alerts,
        },
      }),
    );
    const config = await loadConfig({
      REDIS_URL: redis().url,
      PORT: '0',
      QUEUEWATCH_QUEUES: 'payments,emails',
      QUEUEWATCH_CONFIG: path,
    });
    const app = await startQueuewatch(config, { logger: new RecordingLogger() });
    closers.push(() => app.stop());
    return app;
  }

  /** A queue whose worker fails every job for good. */
  function failing(name: string): Queue {
    const queue = new Queue(name, { connection: { url: redis().url } });
    const worker = new Worker(
      name,
      (job) => Promise.reject(new UnrecoverableError(`job ${String(job.id)} of ${name} failed`)),
      { connection: { url: redis().url }, concurrency: 5 },
    );
    closers.push(
      () => queue.close(),
      () => worker.close(true),
    );
    return queue;
  }

  async function fail(queue: Queue, count: number, tag: string): Promise<void> {
    await queue.addBulk(
      Array.from({ length: count }, (_, index) => ({
        name: 'bad',
        data: {},
        opts: { jobId: `${tag}-${String(index)}` },
      })),
    );
  }

  async function call<T>(
    app: RunningQueuewatch,
    path: string,
    init?: { method: string; body?: unknown },
  ): Promise<Answer<T>> {
    const response = await fetch(`${app.url}${path}`, {
      method: init?.method ?? 'GET',
      // A change always says it is JSON (the API refuses other changes, as a browser form's).
      ...(init === undefined ? {} : { headers: { 'content-type': 'application/json' } }),
      ...(init?.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  it('should route by queue glob and severity, keep matching past a route that says continue, and stop at one that does not', async function () {
    this.timeout(60_000);
    const app = await start({
      route: {
        destinations: [],
        groupWaitMs: 0,
        groupIntervalMs: 200,
        routes: [
          { match: { queue: 'pay*' }, destinations: ['pager'], continue: true },
          { match: { severity: ['critical', 'high'] }, destinations: ['chat'] },
          { match: { labels: { team: 'grow?h' } }, destinations: ['audit'] },
        ],
      },
    });
    await fail(failing('payments'), 3, 'p');
    await Promise.all([pager.received(1), chat.received(1)]);
    await fail(failing('emails'), 3, 'e');
    await audit.received(1);
    // Every firing alert is in by now; the records say where each went.
    const { body } = await call<AlertsBody>(app, '/api/v1/alerts');
    const sent = body.alerts
      .map((record) => ({
        queues: (record.alert.alerts ?? [record.alert]).map((a) => a.context.queueName),
        to: record.deliveries.map((delivery) => delivery.destination),
      }))
      .filter((record) => record.to.length > 0);
    expect(sent).to.deep.include({ queues: ['payments'], to: ['pager'] });
    expect(sent).to.deep.include({ queues: ['payments'], to: ['chat'] });
    expect(sent).to.deep.include({ queues: ['emails'], to: ['audit'] });
    expect(queuesOf(pager)).to.deep.equal(['payments:firing']);
    expect(queuesOf(chat)).to.deep.equal(['payments:firing']);
    expect(queuesOf(audit)).to.deep.equal(['emails:firing']);
    const emails = membersOf(audit.requests[0])[0];
    expect(emails?.labels).to.include({ queue: 'emails', rule: 'failure-rate', team: 'growth' });
    expect(emails?.link).to.equal('/queues/emails');
  });

  it('should send alerts that fire close together in one group as one notification listing them', async function () {
    this.timeout(60_000);
    await start({
      route: {
        destinations: ['pager'],
        groupBy: ['rule'],
        groupWaitMs: 1_500,
        groupIntervalMs: 30_000,
      },
    });
    await Promise.all([fail(failing('payments'), 3, 'p'), fail(failing('emails'), 3, 'e')]);
    await pager.received(1);
    const notification = alertOf(pager.requests[0]);
    expect(notification.alerts?.map((member) => member.context.queueName).sort()).to.deep.equal([
      'emails',
      'payments',
    ]);
    expect(notification.title).to.equal('failure-rate alerts: 2 firing');
    expect(notification.labels).to.deep.equal({ rule: 'failure-rate' });
    expect(notification.severity).to.equal('high');
    expect(notification.message.split('\n')).to.have.length(2);
  });

  it('should record a silenced alert without sending it, and send it once the silence is expired', async function () {
    this.timeout(60_000);
    const app = await start({
      route: {
        destinations: ['pager'],
        groupBy: ['rule', 'queue'],
        groupWaitMs: 0,
        groupIntervalMs: 300,
      },
    });
    const created = await call<SilenceBody>(app, '/api/v1/silences', {
      method: 'POST',
      body: {
        matchers: [{ label: 'queue', op: '=', value: 'payments' }],
        endsAt: new Date(Date.now() + 3_600_000).toISOString(),
        comment: 'payments provider maintenance',
      },
    });
    expect(created.status).to.equal(201);
    expect(created.body).to.include({ status: 'active', createdBy: 'anonymous' });

    await fail(failing('payments'), 3, 'p');
    await waitFor(
      'the silenced alert to be recorded',
      async () => (await call<AlertsBody>(app, '/api/v1/alerts')).body.alerts,
      (alerts) => alerts.some((record) => record.suppressed?.silencedBy.includes(created.body.id)),
    );
    // Another queue's alert goes out meanwhile: flushes run, the silence holds back only its own.
    await fail(failing('emails'), 3, 'e');
    await pager.received(1);
    expect(queuesOf(pager)).to.deep.equal(['emails:firing']);
    const firing = (await call<FiringAlertsBody>(app, '/api/v1/alerts/firing')).body.alerts;
    expect(
      firing.map((entry) => [entry.alert.context.queueName, entry.silencedBy.length]),
    ).to.have.deep.members([
      ['payments', 1],
      ['emails', 0],
    ]);

    const expired = await call<SilenceBody>(app, `/api/v1/silences/${created.body.id}`, {
      method: 'DELETE',
    });
    expect(expired.body.status, JSON.stringify(expired)).to.equal('expired');
    await pager.received(2);
    expect(queuesOf(pager)).to.deep.equal(['emails:firing', 'payments:firing']);
  });

  it('should refuse a silence that cannot work with a 400 naming the problem, and keep the others', async () => {
    const app = await start({});
    const hour = new Date(Date.now() + 3_600_000).toISOString();
    const cases: [unknown, RegExp][] = [
      [{ matchers: [], endsAt: hour, comment: 'x' }, /at least one matcher/],
      [
        {
          matchers: [{ label: 'queue', op: '=', value: 'payments' }],
          startsAt: hour,
          endsAt: new Date(Date.now() + 60_000).toISOString(),
          comment: 'x',
        },
        /endsAt must be after startsAt/,
      ],
      [
        { matchers: [{ label: 'colour', op: '=', value: 'red' }], endsAt: hour, comment: 'x' },
        /no alert carries the label "colour"/,
      ],
      [
        { matchers: [{ label: 'queue', op: '=~', value: '(' }], endsAt: hour, comment: 'x' },
        /not a valid regular expression/,
      ],
      [
        { matchers: [{ label: 'queue', op: '=~', value: '(a+)+$' }], endsAt: hour, comment: 'x' },
        /may take exponential time/,
      ],
      [
        { matchers: [{ label: 'rule', op: '=', value: 'cpu' }], endsAt: hour, comment: 'x' },
        /"cpu" is not a rule/,
      ],
      [
        { matchers: [{ label: 'queue', op: '=~', value: '.*' }], endsAt: hour, comment: 'x' },
        /does not match every alert/,
      ],
      [{ matchers: [{ label: 'queue', op: '=', value: 'payments' }], endsAt: hour }, /comment/],
    ];
    for (const [body, message] of cases) {
      const answer = await call<{ error: { code: string; message: string } }>(
        app,
        '/api/v1/silences',
        { method: 'POST', body },
      );
      expect(answer.status, JSON.stringify(body)).to.equal(400);
      expect(answer.body.error.code).to.equal('QW_BAD_REQUEST');
      expect(answer.body.error.message).to.match(message);
    }
    expect(
      (await call<{ silences: unknown[] }>(app, '/api/v1/silences')).body.silences,
    ).to.have.length(0);
    const missing = await call<{ error: { code: string } }>(app, '/api/v1/silences/nope', {
      method: 'DELETE',
    });
    expect(missing.status).to.equal(404);
  });

  it('should hold back a paused queue’s backlog alert while its queue-paused alert fires', async function () {
    this.timeout(60_000);
    const app = await start({
      rules: { backlog: { count: 2, forMs: 0 }, 'queue-paused': {} },
      route: {
        destinations: ['pager'],
        groupBy: ['rule', 'queue'],
        groupWaitMs: 300,
        groupIntervalMs: 300,
      },
    });
    const queue = new Queue('emails', { connection: { url: redis().url } });
    closers.push(() => queue.close());
    await queue.pause();
    await queue.addBulk([1, 2, 3].map((n) => ({ name: 'wait', data: { n } })));
    await waitFor(
      'the backlog alert to be held back by the pause',
      async () => (await call<AlertsBody>(app, '/api/v1/alerts')).body.alerts,
      (alerts) =>
        alerts.some(
          (record) =>
            record.alert.rule === 'backlog' &&
            (record.suppressed?.inhibitedBy ?? []).some((id) => id.startsWith('queue-paused')),
        ),
      20_000,
    );
    const firing = (await call<FiringAlertsBody>(app, '/api/v1/alerts/firing')).body.alerts;
    const backlog = firing.find((entry) => entry.alert.rule === 'backlog');
    expect(backlog?.inhibitedBy).to.have.length(1);
    expect(firing.some((entry) => entry.alert.rule === 'queue-paused')).to.equal(true);
    // Resumed: the pause resolves, and the backlog alert is no longer held back.
    await queue.resume();
    await pager.received(1);
    expect(membersOf(pager.requests[0]).map((member) => member.rule)).to.deep.equal(['backlog']);
    expect(queuesOf(pager).every((entry) => entry.startsWith('emails:'))).to.equal(true);
  });

  it('should send a test alert through the routing tree to the destinations its routes name', async () => {
    const app = await start({
      route: {
        destinations: ['audit'],
        routes: [{ match: { queue: 'pay*', rule: 'backlog' }, destinations: ['pager', 'chat'] }],
      },
    });
    const routed = await call<TestAlertBody>(app, '/api/v1/alerts/test', {
      method: 'POST',
      body: { labels: { queue: 'payments', rule: 'backlog', severity: 'high' } },
    });
    expect(routed.status).to.equal(200);
    expect(routed.body.routes).to.deep.equal([
      { route: 'root.0', destinations: ['pager', 'chat'] },
    ]);
    expect(routed.body.results.map((result) => [result.destination, result.outcome])).to.deep.equal(
      [
        ['pager', 'delivered'],
        ['chat', 'delivered'],
      ],
    );
    expect([pager.requests.length, chat.requests.length, audit.requests.length]).to.deep.equal([
      1, 1, 0,
    ]);
    const other = await call<TestAlertBody>(app, '/api/v1/alerts/test', {
      method: 'POST',
      body: { labels: { queue: 'emails' } },
    });
    expect(other.body.routes).to.deep.equal([{ route: 'root', destinations: ['audit'] }]);
    expect(audit.requests).to.have.length(1);
    const unknown = await call<{ error: { message: string } }>(app, '/api/v1/alerts/test', {
      method: 'POST',
      body: { labels: { severity: 'urgent' } },
    });
    expect(unknown.status).to.equal(400);
    expect(unknown.body.error.message).to.contain('labels.severity must be one of critical');
  });
});
