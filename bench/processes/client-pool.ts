import { io, type Socket } from 'socket.io-client';
import { isMessage } from '../lib/child.js';
import { LatencyHistogram } from '../lib/histogram.js';
import { preciseNow } from '../lib/stats.js';
import type { Subscription } from '../lib/subscription-plan.js';

/**
 * Socket.IO clients in a process of their own, so that receiving does not compete with the
 * bench's bookkeeping and one process is not the bottleneck at 1,000 clients. Driven over IPC:
 * `connect` (url + one subscription per client), `counts`, `collect` (latency histogram and
 * counts since the last collect), `close`.
 */
const connectBatch = 50;

const sockets: Socket[] = [];
let histogram = new LatencyHistogram();
let progress = 0;
let completions = 0;
let disconnects = 0;

async function connect(url: string, plan: readonly Subscription[]): Promise<void> {
  let failed = 0;
  for (let at = 0; at < plan.length; at += connectBatch) {
    const batch = plan.slice(at, at + connectBatch);
    const results = await Promise.allSettled(batch.map((subscription) => open(url, subscription)));
    failed += results.filter((result) => result.status === 'rejected').length;
  }
  process.send?.({ type: 'connected', sockets: sockets.length, failed });
}

async function open(url: string, subscription: Subscription): Promise<void> {
  const socket = io(`${url}/job-progress`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: 20_000,
  });
  sockets.push(socket);
  socket.on('job-progress', (payload: { progress: { sentAt: number } }) => {
    histogram.record(preciseNow() - payload.progress.sentAt);
    progress += 1;
  });
  socket.on('job-completed', () => {
    completions += 1;
  });
  socket.on('disconnect', () => {
    disconnects += 1;
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  const ack = (event: string, payload: unknown): Promise<unknown> =>
    socket.timeout(20_000).emitWithAck(event, payload);
  switch (subscription.kind) {
    case 'job':
      await ack('subscribe-to-job', {
        jobId: subscription.jobId,
        queueName: subscription.queueName,
      });
      return;
    case 'queue':
      await ack('subscribe-to-queue', { queueName: subscription.queueName });
      return;
    case 'all':
      await ack('subscribe-to-queue', { queueName: '*' });
      return;
    case 'none':
      return;
  }
}

process.on('message', (message: unknown) => {
  if (!isMessage(message)) return;
  switch (message.type) {
    case 'connect':
      void connect(String(message.url), message.plan as Subscription[]);
      return;
    case 'counts':
      process.send?.({ type: 'counts', progress, completions, disconnects, ...cpu() });
      return;
    case 'collect':
      process.send?.({
        type: 'collected',
        histogram: histogram.toPairs(),
        progress,
        completions,
        disconnects,
        ...cpu(),
      });
      histogram = new LatencyHistogram();
      progress = 0;
      completions = 0;
      return;
    case 'close':
      for (const socket of sockets) socket.close();
      sockets.length = 0;
      process.send?.({ type: 'closed' });
      return;
    default:
      return;
  }
});
/** This process's CPU so far, and when it was read: the bench tells whether clients kept up. */
function cpu(): { cpuMs: number; atMs: number } {
  const usage = process.cpuUsage();
  return { cpuMs: (usage.user + usage.system) / 1000, atMs: performance.now() };
}

process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  for (const socket of sockets) socket.close();
  process.exit(0);
});
