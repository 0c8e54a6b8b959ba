import { expect } from 'chai';
import type { AuditBody, OperationBody } from '../../src/application/contract/console.js';
import { resolve } from '../../src/bootstrap/provide.js';
import { TOKENS } from '../../src/bootstrap/tokens.js';
import { auditStreamKey } from '../../src/adapters/redis/redis-audit-trail.js';
import { failedJobs, useConsole } from '../support/console-kit.js';
import { routesOf } from '../support/express-routes.js';
import { useRedisServer } from '../support/redis-harness.js';
import { waitFor } from '../support/wait-for.js';

interface ErrorAnswer {
  readonly error: { readonly code: string; readonly message: string };
}

/** The body a change needs to get past its own checks, where `{}` does not. */
const bodies: Record<string, unknown> = {
  'POST /api/v1/queues/:queue/jobs': { name: 'x' },
  'POST /api/v1/queues/:queue/clean': { state: 'failed', graceMs: 0 },
  'POST /api/v1/silences': {
    matchers: [{ label: 'queue', op: '=', value: 'work' }],
    endsAt: '2099-01-01T00:00:00.000Z',
    comment: 'maintenance',
  },
};

describe('the console audit trail (real Redis, real BullMQ, real HTTP)', function () {
  this.timeout(60_000);
  const redis = useRedisServer();
  const kit = useConsole(redis);

  it('should list changes newest first: who, role, action, queue, jobs, filter, outcome', async () => {
    const console = await kit.start(['work']);
    const queue = kit.queue<{ n: number }>('work');
    const [id] = await failedJobs(queue, redis().url, [{ name: 'charge', data: { n: 1 } }]);
    await console.call('operator', 'POST', `/api/v1/queues/work/jobs/${String(id)}/retry`);
    await console.call('viewer', 'POST', `/api/v1/queues/work/jobs/${String(id)}/promote`);
    await console.call('operator', 'POST', `/api/v1/queues/work/jobs/${String(id)}/promote`);
    const started = await console.call<OperationBody>(
      'operator',
      'POST',
      '/api/v1/queues/work/retry-all',
      {
        name: 'charge',
      },
    );
    await waitFor(
      'the retry-all to be audited',
      () => console.call<AuditBody>('viewer', 'GET', '/api/v1/audit?limit=10'),
      (answer) => answer.body.entries.some((entry) => entry.action === 'retry-all'),
    );
    const { body } = await console.call<AuditBody>('viewer', 'GET', '/api/v1/audit?limit=10');
    expect(
      body.entries.map((entry) => [entry.who, entry.action, entry.outcome.status]),
    ).to.deep.equal([
      ['operator', 'retry-all', 'done'],
      ['operator', 'promote', 'refused'],
      ['viewer', 'promote', 'refused'],
      ['operator', 'retry', 'done'],
    ]);
    const [bulk, invalid, forbidden, retry] = body.entries;
    expect(bulk).to.deep.include({
      role: 'operator',
      queueName: 'work',
      filter: { name: 'charge' },
    });
    expect(bulk?.outcome).to.deep.equal({ status: 'done', count: 0 });
    expect(invalid?.outcome).to.include({ code: 'QW_INVALID_STATE' });
    expect(forbidden?.outcome).to.include({ code: 'QW_FORBIDDEN_ROLE' });
    expect(retry).to.deep.include({ jobIds: [id], queueName: 'work', role: 'operator' });
    expect(retry?.outcome).to.deep.equal({ status: 'done', count: 1 });
    expect(Date.parse(String(retry?.at))).to.be.above(0);
    expect(started.status).to.equal(202);
    const one = await console.call<AuditBody>('viewer', 'GET', '/api/v1/audit?limit=1');
    expect(one.body.entries).to.have.length(1);
    for (const limit of ['0', '1001', 'many']) {
      const answer = await console.call<ErrorAnswer>(
        'viewer',
        'GET',
        `/api/v1/audit?limit=${limit}`,
      );
      expect(answer.status, limit).to.equal(400);
    }
    // And each went to the log.
    const logged = console.logger.lines.filter((line) => line.message === 'console action');
    expect(logged.map((line) => line.context?.action)).to.include.members([
      'retry',
      'promote',
      'retry-all',
    ]);
  });

  it('should keep the stream bounded (XADD MAXLEN ~ QUEUEWATCH_AUDIT_MAX_ENTRIES)', async () => {
    const console = await kit.start(['work'], { QUEUEWATCH_AUDIT_MAX_ENTRIES: '100' });
    for (let n = 0; n < 350; n += 1) {
      await console.call('viewer', 'POST', '/api/v1/queues/work/pause');
    }
    const length = await kit.redis().xlen(auditStreamKey);
    // Redis trims whole stream nodes (100 entries each by default): about 100, never 350.
    expect(length).to.be.at.least(100).and.at.most(200);
    const { body } = await console.call<AuditBody>('viewer', 'GET', '/api/v1/audit?limit=1000');
    expect(body.entries).to.have.length(length);
  });

  it('should record every route that changes anything (each walked as a viewer: refused, audited)', async () => {
    const console = await kit.start(['work']);
    const queue = kit.queue<{ n: number }>('work');
    const [id] = await failedJobs(queue, redis().url, [{ name: 'charge', data: { n: 1 } }]);
    const operation = await console.call<OperationBody>(
      'operator',
      'POST',
      '/api/v1/queues/work/promote-all',
      {},
    );
    // The operation writes its own entry when it ends: let it end before counting entries.
    await waitFor(
      'the promote-all to end and be audited',
      async () => ({
        operation: await console.call<OperationBody>(
          'viewer',
          'GET',
          `/api/v1/operations/${operation.body.id}`,
        ),
        audit: await console.call<AuditBody>('viewer', 'GET', '/api/v1/audit?limit=10'),
      }),
      ({ operation: read, audit }) =>
        read.body.status !== 'running' &&
        audit.body.entries.some((entry) => entry.action === 'promote-all'),
    );
    const routes = routesOf(resolve(console.app.container, TOKENS.HttpApp)).filter(
      (route) => route.method !== 'GET' && route.path.startsWith('/api/'),
    );
    expect(routes.length).to.be.at.least(14);
    for (const route of routes) {
      const key = `${route.method} ${route.path}`;
      const before = await kit.redis().xlen(auditStreamKey);
      const path = route.path
        .replace(':queue', 'work')
        .replace(':recordId', 'some-record')
        .replace(
          ':id',
          route.path.startsWith('/api/v1/operations') ? operation.body.id : String(id),
        );
      const answer = await console.call<ErrorAnswer>(
        'viewer',
        route.method,
        route.method === 'DELETE' ? `${path}?children=false` : path,
        bodies[key] ?? {},
      );
      expect(answer.status, key).to.equal(403);
      expect(answer.body.error.code, key).to.equal('QW_FORBIDDEN_ROLE');
      expect(await kit.redis().xlen(auditStreamKey), `${key} audited`).to.equal(before + 1);
    }
  });
});
