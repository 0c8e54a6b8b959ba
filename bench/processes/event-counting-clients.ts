import { io, type Socket } from 'socket.io-client';
import { isMessage } from '../lib/child.js';

/**
 * Socket.IO clients that each follow one queue and count every `job-completed` and `job-failed`
 * they receive (one at a time or inside `events` batches), in a process of their own. Driven
 * over IPC: `connect` (url, queue, clients, delivery, sentinel job id) → `connected`; `counts` →
 * each client's completions and failures (the sentinel left out), how many clients have seen the
 * sentinel complete, disconnects and this process's CPU; `close`. Clients never reconnect: a
 * disconnected client would miss events, and the bench should see that rather than hide it.
 */
interface ClientCounts {
  completed: number;
  failed: number;
  sawSentinel: boolean;
}

interface EventPayload {
  readonly jobId: string;
}

type Delivery = 'event' | 'batch';

const connectBatch = 50;
const sockets: Socket[] = [];
const clients: ClientCounts[] = [];
let sentinelJobId = '';
let disconnects = 0;

function count(client: ClientCounts, name: string, payload: EventPayload): void {
  if (name === 'job-completed') {
    if (payload.jobId === sentinelJobId) client.sawSentinel = true;
    else client.completed += 1;
  } else if (name === 'job-failed') {
    client.failed += 1;
  }
}

async function open(url: string, queueName: string, delivery: Delivery): Promise<void> {
  const socket = io(`${url}/job-progress`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: 20_000,
    ...(delivery === 'batch' ? { auth: { delivery } } : {}),
  });
  const client: ClientCounts = { completed: 0, failed: 0, sawSentinel: false };
  sockets.push(socket);
  clients.push(client);
  socket.on('job-completed', (payload: EventPayload) => {
    count(client, 'job-completed', payload);
  });
  socket.on('job-failed', (payload: EventPayload) => {
    count(client, 'job-failed', payload);
  });
  socket.on('events', (batch: readonly (readonly [string, EventPayload])[]) => {
    for (const [name, payload] of batch) count(client, name, payload);
  });
  socket.on('disconnect', () => {
    disconnects += 1;
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  const ack = (await socket.timeout(20_000).emitWithAck('subscribe-to-queue', { queueName })) as {
    ok: boolean;
  };
  if (!ack.ok) throw new Error(`subscribe-to-queue refused: ${JSON.stringify(ack)}`);
}

async function connect(
  url: string,
  queueName: string,
  clientCount: number,
  delivery: Delivery,
): Promise<void> {
  let failed = 0;
  for (let at = 0; at < clientCount; at += connectBatch) {
    const results = await Promise.allSettled(
      Array.from({ length: Math.min(connectBatch, clientCount - at) }, () =>
        open(url, queueName, delivery),
      ),
    );
    failed += results.filter((result) => result.status === 'rejected').length;
  }
  process.send?.({ type: 'connected', sockets: sockets.length, failed });
}

process.on('message', (message: unknown) => {
  if (!isMessage(message)) return;
  switch (message.type) {
    case 'connect':
      sentinelJobId = String(message.sentinelJobId);
      void connect(
        String(message.url),
        String(message.queueName),
        Number(message.clients),
        message.delivery === 'batch' ? 'batch' : 'event',
      );
      return;
    case 'counts': {
      const usage = process.cpuUsage();
      process.send?.({
        type: 'counts',
        completed: clients.map((client) => client.completed),
        failed: clients.map((client) => client.failed),
        sawSentinel: clients.filter((client) => client.sawSentinel).length,
        disconnects,
        cpuMs: (usage.user + usage.system) / 1000,
        atMs: performance.now(),
      });
      return;
    }
    case 'close':
      for (const socket of sockets) socket.close();
      process.send?.({ type: 'closed' });
      return;
    default:
      return;
  }
});

process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  for (const socket of sockets) socket.close();
  process.exit(0);
});
