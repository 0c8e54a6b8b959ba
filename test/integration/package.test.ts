import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { Queue, Worker } from 'bullmq';
import { eachLine, parseLogLine } from '../support/queuewatch-process.js';
import { useRedisServer } from '../support/redis-harness.js';
import { eventOf, RecordingClient } from '../support/socket-clients.js';

const root = join(import.meta.dirname, '..', '..');
const run = promisify(execFile);

/**
 * The environment for npm in a folder of its own: without the `npm_*` variables of an npm that
 * may be running this test (`npm test` sets `npm_config_local_prefix` to this repository, which
 * would make `npm install` install here); the cache and the registry are kept.
 */
function npmEnvironment(): NodeJS.ProcessEnv {
  const kept = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig']);
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => kept.has(key) || !(key.startsWith('npm_') || key === 'INIT_CWD'),
    ),
  );
}

/** Embeds the installed package in an Express app under /queues and reports what it served. */
const embedScript = `
import { createServer } from 'node:http';
import express from 'express';
import { createQueuewatch } from 'queuewatch';

const qw = await createQueuewatch({
  connection: { url: process.env.REDIS_URL },
  queues: ['packed'],
  logLevel: 'silent',
});
const app = express();
app.get('/', (_request, response) => response.send('the host'));
app.use('/queues', qw.router);
const server = createServer(app);
qw.attach(server);
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = 'http://127.0.0.1:' + server.address().port;
const page = await (await fetch(base + '/queues/alerts')).text();
const asset = /src="([^"]+[.]js)"/.exec(page)?.[1] ?? null;
const report = {
  page: page.includes('<meta name="queuewatch-mount-path" content="/queues">'),
  asset,
  assetStatus: asset === null ? null : (await fetch(base + asset)).status,
  queues: (await (await fetch(base + '/queues/api/v1/queues')).json()).queues.map((q) => q.name),
  host: await (await fetch(base + '/')).text(),
};
server.closeAllConnections();
server.close();
await qw.close();
console.log(JSON.stringify(report));
`;

/** Run a command of the installed package; answers its exit code and output. */
async function runIn(
  cwd: string,
  file: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = npmEnvironment(),
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(file, [...args], { cwd, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    return {
      code: typeof failed.code === 'number' ? failed.code : -1,
      stdout: failed.stdout ?? '',
      stderr: failed.stderr ?? String(error),
    };
  }
}

describe('the npm package (build, npm pack, npm install into a fresh project)', function () {
  // Slow on purpose: a build, a pack and an install from npm's cache.
  this.timeout(60_000);
  const redis = useRedisServer();
  let work: string;
  let consumer: string;
  let packed: string[];

  before(async function () {
    this.timeout(120_000);
    work = await mkdtemp(join(tmpdir(), 'qw-pack-'));
    // `prepack` builds (dist/ and web/dist/) before the tarball is made.
    await run('npm', ['pack', '--pack-destination', work], { cwd: root, env: npmEnvironment() });
    const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
      version: string;
    };
    const tarball = join(work, `queuewatch-${version}.tgz`);
    packed = (await run('tar', ['-tzf', tarball])).stdout.trim().split('\n');
    consumer = join(work, 'consumer');
    await mkdir(consumer);
    await writeFile(
      join(consumer, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
    );
    // From npm's cache when it has them; install scripts (optional native builds) are not needed.
    await run(
      'npm',
      ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'],
      { cwd: consumer, env: npmEnvironment() },
    );
  });
  after(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('should pack the built code and the built dashboard, and no sources, tests or maps', () => {
    for (const file of [
      'package/package.json',
      'package/dist/index.js',
      'package/dist/index.d.ts',
      'package/dist/server/main.js',
      'package/dist/worker/index.js',
      'package/web/dist/index.html',
    ]) {
      expect(packed, file).to.include(file);
    }
    expect(packed.some((file) => /^package\/web\/dist\/assets\/.+\.js$/.test(file))).to.equal(true);
    const stray = packed.filter((file) =>
      /^package\/(src|test|bench|examples)\/|\.map$/.test(file),
    );
    expect(stray).to.deep.equal([]);
  });

  it('should install a bin that answers --help and --version', async () => {
    const bin = join(consumer, 'node_modules', '.bin', 'queuewatch');
    const help = await runIn(consumer, bin, ['--help']);
    expect(help.code, help.stderr).to.equal(0);
    expect(help.stdout).to.match(/^Usage: queuewatch \[options\]/);
    const version = await runIn(consumer, bin, ['--version']);
    const { version: expected } = JSON.parse(
      await readFile(join(root, 'package.json'), 'utf8'),
    ) as { version: string };
    expect(version.stdout).to.equal(`${expected}\n`);
    const unknown = await runIn(consumer, bin, ['--nope']);
    expect(unknown.code).to.equal(2);
  });

  it('should run the bundled command from the installed bin: dashboard, health, a module loaded on demand, live progress', async () => {
    const bin = join(consumer, 'node_modules', '.bin', 'queuewatch');
    // The bin is the bundle, not tsc's output: one file with the modules it imports inside.
    const binText = await readFile(
      join(consumer, 'node_modules', 'queuewatch', 'dist', 'server', 'main.js'),
      'utf8',
    );
    expect(binText).to.match(/^#!\/usr\/bin\/env node\n/);
    expect(binText).to.not.match(/from ?["']bullmq["']/);
    // A native addon's loader looks for its binary beside its own file: inside the bundle it
    // would not find it (msgpackr-extract did not, and BullMQ fell back to plain JavaScript).
    expect(binText).to.not.contain('node-gyp-build');
    const child = spawn(bin, ['--redis-url', redis().url, '--port', '0', '--queues', 'packed'], {
      cwd: consumer,
      env: { ...npmEnvironment(), LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const queue = new Queue('packed', { connection: { url: redis().url } });
    let worker: Worker | undefined;
    let watcher: RecordingClient | undefined;
    try {
      const url = await new Promise<string>((resolve, reject) => {
        eachLine(child.stdout, (line) => {
          const log = parseLogLine(line);
          if (log.msg === 'Queuewatch is serving' && typeof log.url === 'string') resolve(log.url);
        });
        child.once('exit', (code) => {
          reject(new Error(`the installed queuewatch exited with ${String(code)}`));
        });
      });
      const page = await (await fetch(`${url}/lab`)).text();
      expect(page).to.contain('<meta name="queuewatch-mount-path" content="">');
      const asset = /src="([^"]+\.js)"/.exec(page)?.[1];
      expect(asset).to.match(/^\/assets\/.+\.js$/);
      expect((await fetch(`${url}${String(asset)}`)).status).to.equal(200);

      const health = (await (await fetch(`${url}/api/v1/health/queues`)).json()) as {
        redis: { status: string };
        queues: { queueName: string }[];
      };
      expect(health.redis.status).to.equal('healthy');
      expect(health.queues.map((entry) => entry.queueName)).to.deep.equal(['packed']);
      // The OpenAPI document's builder is imported on first request: a chunk of its own.
      const document = (await (await fetch(`${url}/api/v1/openapi.json`)).json()) as {
        openapi?: unknown;
      };
      expect(document.openapi).to.equal('3.1.0');

      watcher = await RecordingClient.connect(url);
      expect(
        (await watcher.request('subscribe-to-job', { jobId: 'p1', queueName: 'packed' })).ok,
      ).to.equal(true);
      worker = new Worker(
        'packed',
        async (job) => {
          await job.updateProgress(50);
          return 'done';
        },
        { connection: { url: redis().url } },
      );
      await queue.add('packed', {}, { jobId: 'p1' });
      const completed = await watcher.next(eventOf('job-completed', 'p1'));
      expect(completed.payload.returnValue).to.equal('done');
      expect(
        watcher.received
          .filter((event) => event.name === 'job-progress')
          .map((event) => event.payload.progress),
      ).to.deep.equal([50]);
    } finally {
      watcher?.close();
      await worker?.close();
      await queue.close();
      child.kill('SIGTERM');
    }
    expect(await exited).to.equal(0);
  });

  it('should embed from the installed library entry, and let the process end after close()', async () => {
    await writeFile(join(consumer, 'embed.mjs'), embedScript);
    const result = await runIn(consumer, process.execPath, ['embed.mjs'], {
      ...npmEnvironment(),
      REDIS_URL: redis().url,
    });
    expect(result.code, result.stderr).to.equal(0);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(report).to.deep.include({
      page: true,
      assetStatus: 200,
      queues: ['packed'],
      host: 'the host',
    });
    expect(report.asset).to.match(/^\/queues\/assets\/.+\.js$/);
  });
});
