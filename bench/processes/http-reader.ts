import { Agent, request } from 'node:http';
import { isMessage } from '../lib/child.js';

/**
 * Times GET requests for the bench, one at a time on one kept-alive connection, in a process of
 * its own: the bench's own work (seeding, other servers' replies and the garbage they leave) then
 * never sits inside a timed request, and each server measured has a reader of its own. `{ type:
 * 'get', url }` answers `got` with the status, the body's size and the time from sending the
 * request to the body's last byte (ms). The body is counted, not kept. Prints "ready".
 */
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

interface Got {
  readonly status: number;
  readonly bytes: number;
  readonly ms: number;
}

function get(url: string): Promise<Got> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const outgoing = request(url, { agent }, (response) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => (bytes += chunk.length));
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, bytes, ms: performance.now() - started });
      });
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

process.on('message', (message: unknown) => {
  if (!isMessage(message) || message.type !== 'get' || typeof message.url !== 'string') return;
  get(message.url).then(
    (got) => process.send?.({ type: 'got', ...got, error: null }),
    (error: unknown) =>
      process.send?.({ type: 'got', status: 0, bytes: 0, ms: 0, error: String(error) }),
  );
});
process.on('SIGTERM', () => {
  agent.destroy();
  process.exit(0);
});
process.stdout.write('ready\n');
