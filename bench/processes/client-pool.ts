import { io, type Socket } from 'socket.io-client';
import { WebSocket } from 'ws';
import { isMessage } from '../lib/child.js';
import { LatencyHistogram } from '../lib/histogram.js';
import { preciseNow } from '../lib/stats.js';
import type { Subscription } from '../lib/subscription-plan.js';

/**
 * Socket.IO clients in a process of their own, so that receiving does not compete with the
 * bench's bookkeeping and one process is not the bottleneck at 1,000 clients. Driven over IPC:
 * `connect` (url + one subscription per client, and `delivery: 'batch'` for Queuewatch's batched
 * delivery), `counts`, `collect` (latency histogram and counts since the last collect), `close`.
 * Every event inside a batch counts as one delivery, with its own latency. `connect` with a
 * `layer` opens bare connections instead, idle, to a server of one layer (socket-layer-server).
 */
const connectBatch = 50;

const sockets: Socket[] = [];
/** Bare WebSocket connections to one layer of the stack. */
const bareSockets: WebSocket[] = [];
let histogram = new LatencyHistogram();
let progress = 0;
/** Socket.IO packets received (an event on its own, or a batch). */
let packets = 0;
let completions = 0;
let disconnects = 0;

/** How a client asks for its events: Queuewatch's opt-in batches, or one packet per event. */
type Delivery = 'event' | 'batch';

/** The layer a bare connection is opened to: a WebSocket alone, or an engine.io session on one. */
type Layer = 'ws' | 'engine.io';

async function connect(
  url: string,
  plan: readonly Subscription[],
  delivery: Delivery,
  layer: Layer | null,
): Promise<void> {
  let failed = 0;
  for (let at = 0; at < plan.length; at += connectBatch) {
    const batch = plan.slice(at, at + connectBatch);
    const results = await Promise.allSettled(
      batch.map((subscription) =>
        layer === null ? open(url, subscription, delivery) : openBare(url, layer),
      ),
    );
    failed += results.filter((result) => result.status === 'rejected').length;
  }
  process.send?.({ type: 'connected', sockets: sockets.length + bareSockets.length, failed });
}

/**
 * One idle connection to one layer: open once the WebSocket is (ws), or once engine.io's
 * handshake arrives (engine.io), whose pings it answers so the session stays.
 */
async function openBare(url: string, layer: Layer): Promise<void> {
  const base = url.replace(/^http/, 'ws');
  const socket = new WebSocket(
    layer === 'ws' ? `${base}/` : `${base}/engine.io/?EIO=4&transport=websocket`,
  );
  bareSockets.push(socket);
  socket.on('message', (data: Buffer) => {
    if (data.toString() === '2') socket.send('3');
  });
  await new Promise<void>((resolve, reject) => {
    socket.once(layer === 'ws' ? 'open' : 'message', () => {
      resolve();
    });
    socket.once('error', reject);
  });
}

interface ProgressPayload {
  readonly progress: { readonly sentAt: number };
}

function onProgress(payload: ProgressPayload): void {
  histogram.record(preciseNow() - payload.progress.sentAt);
  progress += 1;
  packets += 1;
}

function onCompleted(): void {
  completions += 1;
  packets += 1;
}

/** A batch is read like the events it holds: each one is a delivery, timed on its own. */
function onBatch(batch: readonly (readonly [string, unknown])[]): void {
  const receivedAt = preciseNow();
  packets += 1;
  for (const [name, payload] of batch) {
    if (name === 'job-progress') {
      histogram.record(receivedAt - (payload as ProgressPayload).progress.sentAt);
      progress += 1;
    } else if (name === 'job-completed') {
      completions += 1;
    }
  }
}

async function open(url: string, subscription: Subscription, delivery: Delivery): Promise<void> {
  const socket = io(`${url}/job-progress`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: 20_000,
    ...(delivery === 'batch' ? { auth: { delivery } } : {}),
  });
  sockets.push(socket);
  socket.on('job-progress', onProgress);
  socket.on('job-completed', onCompleted);
  socket.on('events', onBatch);
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
      void connect(
        String(message.url),
        message.plan as Subscription[],
        message.delivery === 'batch' ? 'batch' : 'event',
        message.layer === 'ws' || message.layer === 'engine.io' ? message.layer : null,
      );
      return;
    case 'counts':
      process.send?.({ type: 'counts', progress, completions, disconnects, ...cpu() });
      return;
    case 'collect':
      process.send?.({
        type: 'collected',
        histogram: histogram.toPairs(),
        progress,
        packets,
        completions,
        disconnects,
        ...cpu(),
      });
      histogram = new LatencyHistogram();
      progress = 0;
      packets = 0;
      completions = 0;
      return;
    case 'close':
      for (const socket of sockets) socket.close();
      sockets.length = 0;
      for (const socket of bareSockets) socket.close();
      bareSockets.length = 0;
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
  for (const socket of bareSockets) socket.close();
  process.exit(0);
});
