import type { Server } from 'node:http';

/** Listen on a free loopback port and print `listening <url>` (what the bench waits for). */
export function listenOnLoopback(server: Server): void {
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    process.stdout.write(`listening http://127.0.0.1:${String(port)}\n`);
  });
}
