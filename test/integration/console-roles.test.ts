import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { MeBody } from '../../src/application/contract/console.js';
import { loadConfig } from '../../src/bootstrap/config/load-config.js';
import { consoleTokens, failedJobs, useConsole } from '../support/console-kit.js';
import { useRedisServer } from '../support/redis-harness.js';
import { RecordingClient } from '../support/socket-clients.js';

interface ErrorAnswer {
  readonly error: { readonly code: string; readonly message: string; readonly state?: string };
}

describe('console roles (real Redis, real BullMQ, real HTTP and sockets)', function () {
  this.timeout(30_000);
  const redis = useRedisServer();
  const kit = useConsole(redis);

  describe('GET /api/v1/me', () => {
    it('should name each token, its role and what it may do', async () => {
      const { call } = await kit.start(['work']);
      const viewer = await call<MeBody>('viewer', 'GET', '/api/v1/me');
      expect(viewer.status).to.equal(200);
      expect(viewer.body).to.deep.equal({
        name: 'viewer',
        role: 'viewer',
        readOnly: false,
        may: [],
      });
      const operator = await call<MeBody>('operator', 'GET', '/api/v1/me');
      expect(operator.body.role).to.equal('operator');
      expect(operator.body.may).to.include.members(['retry', 'promote', 'add-job', 'duplicate']);
      expect(operator.body.may).to.not.include.members(['remove']);
      expect(operator.body.may).to.not.include('clean');
      const admin = await call<MeBody>('admin', 'GET', '/api/v1/me');
      expect(admin.body).to.include({ name: 'admin', role: 'admin' });
      expect(admin.body.may).to.include.members(['remove', 'clean', 'drain', 'test-alert']);
      const ops = await call<MeBody>('ops', 'GET', '/api/v1/me');
      expect(ops.body).to.include({ name: 'ops', role: 'admin' });
    });

    it('should answer 401 without a token and with a wrong one, on reads and writes alike', async () => {
      const { call } = await kit.start(['work']);
      for (const holder of ['none', 'bad'] as const) {
        for (const [method, path] of [
          ['GET', '/api/v1/me'],
          ['GET', '/api/v1/queues'],
          ['GET', '/api/v1/audit'],
          ['POST', '/api/v1/queues/work/jobs/1/retry'],
          ['POST', '/api/v1/queues/work/pause'],
        ] as const) {
          const answer = await call<ErrorAnswer>(holder, method, path);
          expect(answer.status, `${holder} ${method} ${path}`).to.equal(401);
          expect(answer.body.error.code).to.equal('QW_UNAUTHORIZED');
        }
      }
    });

    it('should make everyone an admin named anonymous when no token is configured', async () => {
      const { call } = await kit.start(['work'], {}, false);
      const me = await call<MeBody>('none', 'GET', '/api/v1/me');
      expect(me.status).to.equal(200);
      expect(me.body).to.include({ name: 'anonymous', role: 'admin', readOnly: false });
    });
  });

  describe('role checks', () => {
    it('should let a viewer read everything and change nothing (403 naming the role needed)', async () => {
      const { call } = await kit.start(['work']);
      const queue = kit.queue<{ n: number }>('work');
      const [id] = await failedJobs(queue, redis().url, [{ name: 'charge', data: { n: 1 } }]);
      expect((await call('viewer', 'GET', '/api/v1/queues')).status).to.equal(200);
      expect(
        (await call('viewer', 'GET', `/api/v1/queues/work/jobs/${String(id)}`)).status,
      ).to.equal(200);
      expect((await call('viewer', 'GET', '/api/v1/audit')).status).to.equal(200);
      const retry = await call<ErrorAnswer>(
        'viewer',
        'POST',
        `/api/v1/queues/work/jobs/${String(id)}/retry`,
      );
      expect(retry.status).to.equal(403);
      expect(retry.body.error.code).to.equal('QW_FORBIDDEN_ROLE');
      expect(retry.body.error.message).to.contain('operator');
      const add = await call<ErrorAnswer>('viewer', 'POST', '/api/v1/queues/work/jobs', {
        name: 'x',
      });
      expect(add.status).to.equal(403);
      expect(add.body.error.code).to.equal('QW_FORBIDDEN_ROLE');
      expect(await queue.getJobState(String(id))).to.equal('failed');
    });

    it('should let an operator retry and add jobs but not remove, drain or test alerts', async () => {
      const { call } = await kit.start(['work']);
      const queue = kit.queue<{ n: number }>('work');
      const [id] = await failedJobs(queue, redis().url, [{ name: 'charge', data: { n: 1 } }]);
      const added = await call('operator', 'POST', '/api/v1/queues/work/jobs', { name: 'x' });
      expect(added.status).to.equal(201);
      for (const [method, path, body] of [
        ['DELETE', `/api/v1/queues/work/jobs/${String(id)}?children=false`, undefined],
        ['POST', '/api/v1/queues/work/drain', {}],
        ['POST', '/api/v1/alerts/test', {}],
      ] as const) {
        const answer = await call<ErrorAnswer>('operator', method, path, body);
        expect(answer.status, `${method} ${path}`).to.equal(403);
        expect(answer.body.error.code).to.equal('QW_FORBIDDEN_ROLE');
        expect(answer.body.error.message).to.contain('admin');
      }
      const retry = await call('operator', 'POST', `/api/v1/queues/work/jobs/${String(id)}/retry`);
      expect(retry.status).to.equal(200);
    });

    it('should let an admin (QUEUEWATCH_API_TOKEN or an auth.tokens admin) remove a job', async () => {
      const { call } = await kit.start(['work']);
      const queue = kit.queue<{ n: number }>('work');
      const [first, second] = await failedJobs(queue, redis().url, [
        { name: 'a', data: { n: 1 } },
        { name: 'b', data: { n: 2 } },
      ]);
      const byAdmin = await call(
        'admin',
        'DELETE',
        `/api/v1/queues/work/jobs/${String(first)}?children=true`,
      );
      expect(byAdmin.status).to.equal(200);
      const byOps = await call(
        'ops',
        'DELETE',
        `/api/v1/queues/work/jobs/${String(second)}?children=false`,
      );
      expect(byOps.status).to.equal(200);
      expect(await queue.getJobCountByTypes('failed')).to.equal(0);
    });

    it('should refuse every change in read-only mode, whatever the role (QW_READ_ONLY)', async () => {
      const { call } = await kit.start(['work'], { QUEUEWATCH_READ_ONLY: 'true' });
      const queue = kit.queue<{ n: number }>('work');
      const [id] = await failedJobs(queue, redis().url, [{ name: 'charge', data: { n: 1 } }]);
      const me = await call<MeBody>('admin', 'GET', '/api/v1/me');
      expect(me.body).to.include({ readOnly: true });
      expect(me.body.may).to.deep.equal([]);
      for (const holder of ['admin', 'operator'] as const) {
        const retry = await call<ErrorAnswer>(
          holder,
          'POST',
          `/api/v1/queues/work/jobs/${String(id)}/retry`,
        );
        expect(retry.status).to.equal(403);
        expect(retry.body.error.code).to.equal('QW_READ_ONLY');
      }
      const pause = await call<ErrorAnswer>('admin', 'POST', '/api/v1/queues/work/pause');
      expect(pause.body.error.code).to.equal('QW_READ_ONLY');
      expect(await queue.getJobState(String(id))).to.equal('failed');
      expect(await queue.isPaused()).to.equal(false);
    });
  });

  describe('rate limits', () => {
    it("should count each token apart, so one token cannot spend another one's budget", async () => {
      const { call } = await kit.start(['work'], { QUEUEWATCH_RATE_LIMIT_JOB_SUBMISSIONS: '1' });
      kit.queue('work');
      const add = (holder: 'operator' | 'admin' | 'viewer') =>
        call(holder, 'POST', '/api/v1/queues/work/jobs', { name: 'x' });
      expect((await add('viewer')).status).to.equal(403);
      expect((await add('viewer')).status).to.equal(429);
      expect((await add('operator')).status).to.equal(201);
      expect((await add('operator')).status).to.equal(429);
      expect((await add('admin')).status).to.equal(201);
    });
  });

  describe('the socket', () => {
    it('should let a viewer in, and refuse a wrong token or none', async () => {
      const { app } = await kit.start(['work']);
      const viewer = await RecordingClient.connect(app.url, { token: consoleTokens.viewer });
      kit.closers.push(() => {
        viewer.close();
      });
      const ack = await viewer.request('subscribe-to-queue', { queueName: 'work' });
      expect(ack.ok).to.equal(true);
      for (const auth of [{ token: 'not-a-token-0123456789abcdef' }, {}]) {
        let refused: unknown = null;
        try {
          const client = await RecordingClient.connect(app.url, auth);
          client.close();
        } catch (error) {
          refused = error;
        }
        expect(refused).to.be.instanceOf(Error);
        expect((refused as Error & { data?: { code?: string } }).data?.code).to.equal(
          'QW_UNAUTHORIZED',
        );
      }
    });
  });

  describe('configuration', () => {
    it('should refuse to start when a token variable is unset or a name is taken twice', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'qw-auth-'));
      const path = join(dir, 'queuewatch.json');
      const withTokens = async (tokens: unknown[]) => {
        await writeFile(path, JSON.stringify({ auth: { tokens } }));
        return loadConfig({ QUEUEWATCH_CONFIG: path, OPS: 'ops-token-0123456789abcdef' });
      };
      await expectConfigError(
        withTokens([{ name: 'ci', role: 'operator', tokenEnv: 'CI_TOKEN' }]),
        'auth.tokens[0] ("ci"): the environment variable CI_TOKEN is not set',
      );
      await expectConfigError(
        withTokens([
          { name: 'ops', role: 'admin', tokenEnv: 'OPS' },
          { name: 'ops', role: 'viewer', tokenEnv: 'OPS' },
        ]),
        'the name "ops" is used twice',
      );
      await expectConfigError(
        withTokens([{ name: 'ops', role: 'root', tokenEnv: 'OPS' }]),
        'auth.tokens[0].role',
      );
      const config = await withTokens([{ name: 'ops', role: 'operator', tokenEnv: 'OPS' }]);
      expect(config.auth.tokens).to.deep.equal([
        { name: 'ops', role: 'operator', token: 'ops-token-0123456789abcdef' },
      ]);
    });
  });
});

async function expectConfigError(promise: Promise<unknown>, text: string): Promise<void> {
  let caught: unknown = null;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected a ConfigError containing ${text}`).to.be.instanceOf(Error);
  expect((caught as Error).message).to.contain(text);
}
