import { Redis } from 'ioredis';
import { isMessage } from '../lib/child.js';
import { LatencyHistogram } from '../lib/histogram.js';

/**
 * Redis's own latency, as a client sees it: a PING every millisecond on a connection of its own,
 * in a process of its own (so the bench's work does not delay the replies it times). `{ type:
 * 'begin' }` starts a window (answered `begun`), `{ type: 'end' }` ends it and answers `pings`
 * with the window's percentiles. Prints "ready" once connected.
 */
const redis = new Redis(process.env.REDIS_URL ?? '');
await redis.ping();
let histogram: LatencyHistogram | null = null;

const loop = async (window: LatencyHistogram): Promise<void> => {
  while (histogram === window) {
    const started = performance.now();
    await redis.ping();
    window.record(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
};

process.on('message', (message: unknown) => {
  if (!isMessage(message)) return;
  if (message.type === 'begin') {
    const window = new LatencyHistogram();
    histogram = window;
    void loop(window);
    process.send?.({ type: 'begun' });
  } else if (message.type === 'end') {
    const window = histogram;
    histogram = null;
    process.send?.({ type: 'pings', summary: window?.summary() ?? null });
  }
});
process.on('SIGTERM', () => {
  redis.disconnect();
  process.exit(0);
});
process.stdout.write('ready\n');
