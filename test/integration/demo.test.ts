import { spawn, type ChildProcess } from 'node:child_process';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { freePort } from '../../src/demo/redis-server-process.js';
import { eachLine } from '../support/queuewatch-process.js';
import { useRedisServer } from '../support/redis-harness.js';
import { waitFor } from '../support/wait-for.js';
import { acceptsConnections } from '../support/tcp-port.js';

/** `src/demo/main.ts` running as `npm run demo` runs it (without the dashboard build). */
interface RunningDemo {
  readonly child: ChildProcess;
  readonly stdout: string[];
  readonly stderr: () => string;
  /** Resolves with the first stdout line that matches. */
  line(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Ctrl-C, and the exit code once the demo has stopped what it started. */
  interrupt(): Promise<number | null>;
  readonly exited: Promise<number | null>;
}

function startDemo(env: Record<string, string>): RunningDemo {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/demo/main.ts'], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: (match: RegExpExecArray) => void }[] = [];
  eachLine(child.stdout, (line) => {
    stdout.push(line);
    for (const waiter of [...waiters]) {
      const match = waiter.pattern.exec(line);
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return {
    child,
    stdout,
    stderr: () => stderr,
    exited,
    line: (pattern, timeoutMs = 20_000) => {
      for (const seen of stdout) {
        const match = pattern.exec(seen);
        if (match) return Promise.resolve(match);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(
            new Error(
              `the demo printed no line like ${String(pattern)} within ${String(timeoutMs)} ms:\n${stdout.join('\n')}\n${stderr}`,
            ),
          );
        }, timeoutMs);
        void exited.then(() => {
          clearTimeout(timer);
          reject(new Error(`the demo exited:\n${stdout.join('\n')}\n${stderr}`));
        });
        waiters.push({
          pattern,
          resolve: (match) => {
            clearTimeout(timer);
            resolve(match);
          },
        });
      });
    },
    interrupt: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      return exited;
    },
  };
}

describe('npm run demo (real processes, real Redis)', function () {
  this.timeout(60_000);
  // Stands in for "a Redis on the default port": it answers, and the demo must leave it alone.
  const bystander = useRedisServer();
  const closers: (() => unknown)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  function run(env: Record<string, string>): RunningDemo {
    const demo = startDemo(env);
    // Ctrl-C, never SIGKILL: the demo stops the redis-server it started.
    closers.push(() => demo.interrupt());
    return demo;
  }

  function client(url: string): Redis {
    const redis = new Redis(url, { maxRetriesPerRequest: 1 });
    closers.push(() => {
      redis.disconnect();
    });
    return redis;
  }

  for (const [what, env] of [
    ['unset', {}],
    ['empty', { REDIS_URL: '' }],
  ] as const) {
    it(`should use a private redis-server, say so, and stop it, when REDIS_URL is ${what}`, async () => {
      const demo = run(env);
      const [, privateUrl] = await demo.line(/^Redis: private redis-server at (redis:\/\/\S+),/);
      const url = new URL(privateUrl ?? '');
      expect(Number(url.port)).to.not.equal(bystander().port);
      await demo.line(/^Queuewatch demo is running at http:\/\/127\.0\.0\.1:\d+/);

      const ownRedis = client(privateUrl ?? '');
      const written = await waitFor(
        'demo jobs and checkpoints in the private Redis',
        () => ownRedis.keys('*'),
        (keys) =>
          keys.some((key) => key.startsWith('bull:wallet-operations:')) &&
          keys.some((key) => key.startsWith('queuewatch:checkpoints:')),
        20_000,
      );
      expect(written.length).to.be.above(0);
      expect(await client(bystander().url).keys('*'), 'keys in the other Redis').to.deep.equal([]);

      expect(await demo.interrupt()).to.equal(0);
      expect(demo.stdout).to.include('Stopped; nothing left running.');
      expect(
        await acceptsConnections(Number(url.port)),
        'the private redis-server is gone',
      ).to.equal(false);
    });
  }

  describe('having REDIS_URL set', () => {
    const given = useRedisServer();
    const password = 'demo-secret-0123';
    before(async () => {
      const admin = new Redis(given().url);
      await admin.config('SET', 'requirepass', password);
      admin.disconnect();
    });

    it('should use that Redis, print it with the password redacted, and start no other', async () => {
      const redisUrl = `redis://:${password}@127.0.0.1:${String(given().port)}`;
      const demo = run({ REDIS_URL: redisUrl });
      await demo.line(/^Queuewatch demo is running at /);
      const lines = demo.stdout.join('\n');
      expect(demo.stdout[0]).to.equal(
        `Redis: redis://:***@127.0.0.1:${String(given().port)} (REDIS_URL); the demo's queues, dead letters and checkpoints go there`,
      );
      expect(lines).to.not.include(password);
      expect(lines).to.not.include('private redis-server at');
      await waitFor(
        'demo jobs in the given Redis',
        () => client(redisUrl).keys('bull:wallet-operations:*'),
        (keys) => keys.length > 0,
      );
      expect(await demo.interrupt()).to.equal(0);
    });

    it('should stop with one line when that Redis does not answer, starting no other', async () => {
      const port = await freePort();
      const demo = run({ REDIS_URL: `redis://:${password}@127.0.0.1:${String(port)}` });
      expect(await demo.exited).to.equal(1);
      expect(demo.stdout).to.deep.equal([
        `Redis: redis://:***@127.0.0.1:${String(port)} (REDIS_URL); the demo's queues, dead letters and checkpoints go there`,
      ]);
      expect(demo.stderr()).to.equal(
        `queuewatch demo: no Redis answers at redis://:***@127.0.0.1:${String(port)}; start it, or unset REDIS_URL for a private redis-server\n`,
      );
    });
  });
});
