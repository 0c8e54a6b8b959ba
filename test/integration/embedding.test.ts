import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, Worker, type Job } from 'bullmq';
import { expect } from 'chai';
import express, { type Express } from 'express';
import type { QueueListBody } from '../../src/application/contract/queues.js';
import { isEmbedError } from '../../src/bootstrap/embed/embed-error.js';
import { createQueuewatch, type Queuewatch, type QueuewatchOptions } from '../../src/index.js';
import { useRedisServer } from '../support/redis-harness.js';
import { eventOf, RecordingClient } from '../support/socket-clients.js';

const queueName = 'embedded-payments';

/** Reports progress once, then completes. */
async function work(job: Job): Promise<string> {
  await job.updateProgress(50);
  return 'paid';
}

/** The EmbedError `run` throws. */
function misuse(run: () => unknown): Error & { code?: unknown } {
  try {
    run();
  } catch (error) {
    expect(isEmbedError(error), String(error)).to.equal(true);
    return error as Error;
  }
  throw new Error('expected an EmbedError');
}

/** A host application: routes of its own before and after Queuewatch's mount. */
interface Host {
  readonly url: string;
  readonly app: Express;
  readonly server: Server;
  readonly qw: Queuewatch;
}

describe('Queuewatch embedded in an Express application (real Redis, HTTP and sockets)', () => {
  const redis = useRedisServer();
  const closers: (() => unknown)[] = [];
  let webRoot: string;

  before(async () => {
    // The shape of the dashboard's build (Vite, `base: './'`).
    webRoot = await mkdtemp(join(tmpdir(), 'qw-embed-web-'));
    await mkdir(join(webRoot, 'assets'));
    await writeFile(
      join(webRoot, 'index.html'),
      '<!doctype html><html><head><title>Queuewatch</title>' +
        '<script type="module" crossorigin src="./assets/app.js"></script></head>' +
        '<body><div id="root"></div></body></html>',
    );
    await writeFile(join(webRoot, 'assets', 'app.js'), 'console.log("dashboard")');
  });
  after(async () => {
    await rm(webRoot, { recursive: true, force: true });
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  async function create(options: Partial<QueuewatchOptions> = {}): Promise<Queuewatch> {
    const qw = await createQueuewatch({
      connection: { url: redis().url },
      queues: [queueName],
      webRoot,
      logLevel: 'silent',
      ...options,
    });
    closers.push(() => qw.close());
    return qw;
  }

  /** Build the host around `mount`, listen on a free port, and attach the socket. */
  async function startHost(qw: Queuewatch, mount: (app: Express) => void): Promise<Host> {
    const app = express();
    app.use(express.json());
    app.get('/', (_request, response) => {
      response.type('text/plain').send('the host home page');
    });
    app.post('/echo', (request, response) => {
      response.json({ echoed: request.body as unknown });
    });
    mount(app);
    app.get('/after', (_request, response) => {
      response.json({ host: 'a route declared after the mount' });
    });
    const server = createServer(app);
    qw.attach(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(
      () =>
        new Promise((resolve) => {
          server.closeAllConnections();
          server.close(resolve);
        }),
    );
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${String(port)}`, app, server, qw };
  }

  const mountedAtQueues = (qw: Queuewatch) => startHost(qw, (app) => app.use('/queues', qw.router));

  function workers(): Queue {
    const queue = new Queue(queueName, { connection: { url: redis().url } });
    const worker = new Worker(queueName, work, { connection: { url: redis().url } });
    closers.push(
      () => queue.close(),
      () => worker.close(true),
    );
    return queue;
  }

  async function client(
    host: Host,
    path: string,
    transports: ('polling' | 'websocket')[],
  ): Promise<RecordingClient> {
    const connected = await RecordingClient.connect(host.url, undefined, { path, transports });
    closers.push(() => {
      connected.close();
    });
    return connected;
  }

  describe('mounted under /queues', () => {
    it('should answer its API there, and the host its own routes beside it', async () => {
      const host = await mountedAtQueues(await create());
      const queues = await fetch(`${host.url}/queues/api/v1/queues`);
      expect(queues.status).to.equal(200);
      const body = (await queues.json()) as QueueListBody;
      expect(body.queues.map((queue) => queue.name)).to.deep.equal([queueName]);
      expect((await fetch(`${host.url}/queues/livez`)).status).to.equal(200);
      // The OpenAPI document's paths resolve under the mount path.
      const document = (await (await fetch(`${host.url}/queues/api/v1/openapi.json`)).json()) as {
        servers: { url: string }[];
      };
      expect(document.servers).to.deep.equal([{ url: '/queues' }]);
      const unknown = await fetch(`${host.url}/queues/api/v1/nothing`);
      expect(((await unknown.json()) as { error: { code: string } }).error.code).to.equal(
        'QW_NOT_FOUND',
      );

      expect(await (await fetch(`${host.url}/`)).text()).to.equal('the host home page');
      const echo = await fetch(`${host.url}/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ amount: 3 }),
      });
      expect(await echo.json()).to.deep.equal({ echoed: { amount: 3 } });
      expect(await (await fetch(`${host.url}/after`)).json()).to.deep.equal({
        host: 'a route declared after the mount',
      });
      // Not Queuewatch's: the host's own 404, not a JSON error.
      const elsewhere = await fetch(`${host.url}/api/v1/queues`);
      expect(elsewhere.status).to.equal(404);
      expect(elsewhere.headers.get('content-type')).to.match(/text\/html/);
    });

    it('should push a real job to clients of /queues/socket.io, over WebSocket and polling', async () => {
      const host = await mountedAtQueues(await create());
      const queue = workers();
      const overWebSocket = await client(host, '/queues/socket.io', ['websocket']);
      const overPolling = await client(host, '/queues/socket.io', ['polling']);
      const jobId = 'embedded-1';
      for (const connected of [overWebSocket, overPolling]) {
        const ack = await connected.request('subscribe-to-job', { jobId, queueName });
        expect(ack.ok).to.equal(true);
      }
      await queue.add('pay', { amount: 3 }, { jobId });
      for (const connected of [overWebSocket, overPolling]) {
        const completed = await connected.next(eventOf('job-completed', jobId));
        expect(completed.payload.queueName).to.equal(queueName);
        const progress = await connected.next(eventOf('job-progress', jobId));
        expect(progress.payload.progress).to.equal(50);
      }
    });

    it('should serve no socket at the root, where the host has none', async () => {
      const host = await mountedAtQueues(await create());
      for (const transports of [['websocket'], ['polling']] as const) {
        const refused = await RecordingClient.connect(host.url, undefined, {
          path: '/socket.io',
          transports: [...transports],
        }).then(
          (connected) => {
            connected.close();
            return null;
          },
          (error: unknown) => error,
        );
        expect(refused, transports[0]).to.be.instanceOf(Error);
      }
    });

    it('should serve index.html, an asset and deep links under the mount path', async () => {
      const host = await mountedAtQueues(await create());
      for (const path of ['/queues', '/queues/', '/queues/alerts', `/queues/queues/${queueName}`]) {
        const response = await fetch(`${host.url}${path}`);
        expect(response.status, path).to.equal(200);
        const html = await response.text();
        expect(html, path).to.contain('<meta name="queuewatch-mount-path" content="/queues">');
        expect(html, path).to.contain(
          '<meta name="queuewatch-socket-path" content="/queues/socket.io">',
        );
        expect(html, path).to.contain('src="/queues/assets/app.js"');
      }
      const asset = await fetch(`${host.url}/queues/assets/app.js`);
      expect(asset.status).to.equal(200);
      expect(asset.headers.get('content-type')).to.match(/javascript/);
      expect(await asset.text()).to.equal('console.log("dashboard")');
    });
  });

  describe('mounted through an express.Router(), with the mountPath option', () => {
    it('should serve the socket and the page under the full path', async () => {
      const qw = await create({ mountPath: '/admin/queues' });
      const host = await startHost(qw, (app) => {
        const admin = express.Router();
        admin.use('/queues', qw.router);
        app.use('/admin', admin);
      });
      const html = await (await fetch(`${host.url}/admin/queues/lab`)).text();
      expect(html).to.contain('<meta name="queuewatch-mount-path" content="/admin/queues">');
      expect(html).to.contain(
        '<meta name="queuewatch-socket-path" content="/admin/queues/socket.io">',
      );
      const connected = await client(host, '/admin/queues/socket.io', ['websocket']);
      const ack = await connected.request('subscribe-to-queue', { queueName });
      expect(ack.ok).to.equal(true);
    });
  });

  describe('with tokens and roles, and read-only mode', () => {
    const tokens = {
      viewer: 'viewer-token-0123456789',
      operator: 'operator-token-0123456789',
      admin: 'admin-token-0123456789',
    } as const;
    const me = async (host: Host, token: string | null) => {
      const response = await fetch(`${host.url}/queues/api/v1/me`, {
        headers: token === null ? {} : { authorization: `Bearer ${token}` },
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const retry = async (host: Host, token: string) => {
      const response = await fetch(`${host.url}/queues/api/v1/queues/${queueName}/jobs/1/retry`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{}',
      });
      const body = (await response.json()) as { error: { code: string } };
      return { status: response.status, code: body.error.code };
    };

    it('should know each token by its name and role, keep a viewer to reading, and refuse a socket without a token', async () => {
      const host = await mountedAtQueues(
        await create({
          auth: {
            tokens: [
              { name: 'dash', role: 'viewer', token: tokens.viewer },
              { name: 'ops', role: 'operator', token: tokens.operator },
            ],
          },
        }),
      );
      expect((await me(host, null)).status).to.equal(401);
      expect((await me(host, tokens.viewer)).body).to.deep.include({
        name: 'dash',
        role: 'viewer',
        readOnly: false,
      });
      expect((await me(host, tokens.operator)).body).to.deep.include({
        name: 'ops',
        role: 'operator',
      });
      expect(await retry(host, tokens.viewer)).to.deep.equal({
        status: 403,
        code: 'QW_FORBIDDEN_ROLE',
      });
      // Past the role check: there is no job 1 to retry.
      expect(await retry(host, tokens.operator)).to.deep.equal({
        status: 404,
        code: 'QW_NOT_FOUND',
      });

      const refused = await RecordingClient.connect(host.url, undefined, {
        path: '/queues/socket.io',
      }).then(
        () => null,
        (error: unknown) => error as Error & { data?: { code: string } },
      );
      expect(refused?.data?.code).to.equal('QW_UNAUTHORIZED');
      const viewer = await RecordingClient.connect(
        host.url,
        { token: tokens.viewer },
        { path: '/queues/socket.io' },
      );
      closers.push(() => {
        viewer.close();
      });
      expect((await viewer.request('subscribe-to-queue', { queueName })).ok).to.equal(true);
    });

    it('should refuse every action in read-only mode, even to an admin', async () => {
      const host = await mountedAtQueues(
        await create({ auth: { token: tokens.admin }, readOnly: true }),
      );
      expect((await me(host, tokens.admin)).body).to.deep.include({
        name: 'admin',
        role: 'admin',
        readOnly: true,
      });
      expect(await retry(host, tokens.admin)).to.deep.equal({ status: 403, code: 'QW_READ_ONLY' });
    });
  });

  describe('used the wrong way', () => {
    it('should refuse a second mount, naming the router and where it is', async () => {
      const qw = await create();
      await mountedAtQueues(qw);
      const error = misuse(() => express().use('/elsewhere', qw.router));
      expect(error.code).to.equal('QW_EMBED_MISUSE');
      expect(error.message).to.match(/^router: already mounted at \/queues; mount it once/);
    });

    it('should refuse a second attach, naming where the socket is', async () => {
      const host = await mountedAtQueues(await create());
      const error = misuse(() => {
        host.qw.attach(createServer());
      });
      expect(error.message).to.equal(
        'attach: the socket is already served at /queues/socket.io; attach it once',
      );
    });

    it('should refuse to attach before the router is mounted, or to the app itself', async () => {
      const qw = await create();
      expect(
        misuse(() => {
          qw.attach(createServer());
        }).message,
      ).to.match(/^attach: mount the router first \(app\.use\('\/queues', qw\.router\)\)/);
      const app = express();
      app.use('/queues', qw.router);
      expect(
        misuse(() => {
          qw.attach(app as unknown as Server);
        }).message,
      ).to.match(/^attach: expected the HTTP server .* not the application itself$/);
    });

    it('should refuse a mount path with parameters', async () => {
      const qw = await create();
      expect(misuse(() => express().use('/:tenant/queues', qw.router)).message).to.match(
        /^router: mounted at "\/:tenant\/queues"; mount it at one plain path/,
      );
    });
  });

  describe('closed', () => {
    it('should leave the host serving, its routes and the mount path passed on to them', async () => {
      const qw = await create();
      const host = await mountedAtQueues(qw);
      const connected = await client(host, '/queues/socket.io', ['websocket']);
      const gone = new Promise<void>((resolve) => {
        connected.socket.once('disconnect', () => {
          resolve();
        });
      });
      await qw.close();
      await gone;
      expect(connected.socket.connected).to.equal(false);
      expect(await (await fetch(`${host.url}/`)).text()).to.equal('the host home page');
      const passedOn = await fetch(`${host.url}/queues/api/v1/queues`);
      expect(passedOn.status).to.equal(404);
      expect(passedOn.headers.get('content-type')).to.match(/text\/html/);
      const socketPath = await fetch(`${host.url}/queues/socket.io/?EIO=4&transport=polling`);
      expect(socketPath.status, 'the engine no longer answers').to.equal(404);
      expect(
        misuse(() => {
          qw.attach(createServer());
        }).message,
      ).to.equal('attach: this Queuewatch is closed');
      await qw.close();
    });
  });
});
