import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { labQueue } from './e2e-stack.js';

const clientBundle = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'node_modules',
  'socket.io-client',
  'dist',
  'socket.io.min.js',
);

/** The job a page of another origin tries to add through Queuewatch's API. */
export const foreignJobName = 'from-another-origin';

/**
 * A page that tries what any web page the user opens could try against a Queuewatch on this
 * machine (`?qw=<its URL>`): two sockets on `/job-progress` (long-polling first, and WebSocket
 * only) that subscribe to every queue and count what they get, in `window.report`; and
 * `window.attack()`, which posts a test alert and a job with `no-cors` fetches and a test alert
 * with a plain HTML form (into a hidden frame).
 */
const pageHtml = `<!doctype html>
<html>
  <head><meta charset="utf-8"><title>Some other site</title></head>
  <body>
    <h1>Some other site</h1>
    <iframe name="sink" title="sink"></iframe>
    <script src="/socket.io-client.js"></script>
    <script>
      const qw = new URLSearchParams(location.search).get('qw');
      const report = { sockets: {} };
      window.report = report;
      const names = ['job-progress', 'job-completed', 'job-failed', 'custom-progress', 'events'];
      for (const [key, transports] of [['polling', ['polling', 'websocket']], ['websocket', ['websocket']]]) {
        const seen = { connects: 0, connectErrors: 0, subscribed: 0, events: 0 };
        report.sockets[key] = seen;
        const socket = io(qw + '/job-progress', {
          transports,
          reconnectionDelay: 100,
          reconnectionDelayMax: 300,
        });
        socket.on('connect', () => {
          seen.connects += 1;
          socket.emit('subscribe-to-queue', { queueName: '*' }, (ack) => {
            if (ack && ack.ok) seen.subscribed += 1;
          });
        });
        socket.on('connect_error', () => {
          seen.connectErrors += 1;
        });
        for (const name of names) socket.on(name, () => {
          seen.events += 1;
        });
      }
      // The page never needs to read an answer: a request that reaches a handler is enough.
      const quietly = (request) => request.then(() => 'answered', (error) => String(error));
      window.attack = async () => {
        await quietly(fetch(qw + '/api/v1/alerts/test', { method: 'POST', mode: 'no-cors' }));
        await quietly(fetch(qw + '/api/v1/queues/${labQueue}/jobs', {
          method: 'POST',
          mode: 'no-cors',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: '${foreignJobName}' }),
        }));
        const form = document.createElement('form');
        form.method = 'post';
        form.action = qw + '/api/v1/alerts/test';
        form.target = 'sink';
        const field = document.createElement('input');
        field.name = 'name';
        field.value = '${foreignJobName}';
        form.append(field);
        document.body.append(form);
        form.submit();
      };
    </script>
  </body>
</html>
`;

/** A small HTTP server of another origin (another port) serving that page. */
export class AnotherOriginSite {
  private constructor(private readonly server: Server) {}

  static async start(): Promise<AnotherOriginSite> {
    const bundle = await readFile(clientBundle);
    const server = createServer((request, response) => {
      if (request.url === '/socket.io-client.js') {
        response.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
        return;
      }
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(pageHtml);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new AnotherOriginSite(server);
  }

  /** `http://127.0.0.1:<port>`: the origin the page's requests carry. */
  get origin(): string {
    return `http://127.0.0.1:${String((this.server.address() as AddressInfo).port)}`;
  }

  /** The page, aimed at the Queuewatch at `queuewatchUrl`. */
  pageFor(queuewatchUrl: string): string {
    return `${this.origin}/?qw=${encodeURIComponent(queuewatchUrl)}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
