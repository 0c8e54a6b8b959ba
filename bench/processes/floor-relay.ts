import { createServer } from 'node:http';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { listenOnLoopback } from '../lib/listen.js';
import { roomsOf, serveRoomSubscriptions } from '../lib/room-subscriptions.js';
import { reportUsageOverIpc } from '../lib/usage-reporter.js';

/**
 * The floor: the least a relay can do. One raw XREAD BLOCK over the queues' BullMQ event streams,
 * each entry emitted at once to its rooms; no job lookups, no coalescing, no backpressure, no
 * checks. Nothing built on Socket.IO and Redis streams can be much faster on this machine, so
 * Queuewatch's latency is judged against it.
 */
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = process.env.QUEUEWATCH_PREFIX ?? 'bull';
const queueNames = (process.env.QUEUEWATCH_QUEUES ?? 'bench').split(',');
const keys = queueNames.map((name) => `${prefix}:${name}:events`);

const server = createServer();
const io = new Server(server, { serveClient: false });
const namespace = io.of('/job-progress');
serveRoomSubscriptions(namespace);

const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
// Start after the newest entry; '$' cannot be repeated from one XREAD to the next without
// missing what arrived in between, so the real id is looked up once.
const lastIds = await Promise.all(
  keys.map(async (key) => (await redis.xrevrange(key, '+', '-', 'COUNT', 1))[0]?.[0] ?? '0-0'),
);
let running = true;

async function readForever(): Promise<void> {
  while (running) {
    const reply = await redis.xread('COUNT', 1000, 'BLOCK', 1000, 'STREAMS', ...keys, ...lastIds);
    for (const [key, entries] of reply ?? []) {
      const index = keys.indexOf(key);
      const queueName = queueNames[index] ?? '';
      for (const [id, fields] of entries) {
        lastIds[index] = id;
        emit(queueName, id, fields);
      }
    }
  }
}

function emit(queueName: string, id: string, list: string[]): void {
  const fields = new Map<string, string>();
  for (let at = 0; at + 1 < list.length; at += 2) fields.set(list[at] ?? '', list[at + 1] ?? '');
  const jobId = fields.get('jobId') ?? '';
  const timestamp = Number(id.slice(0, id.indexOf('-')));
  const to = namespace.to(roomsOf(queueName, jobId));
  switch (fields.get('event') ?? '') {
    case 'progress':
      to.emit('job-progress', { jobId, queueName, progress: parse(fields.get('data')), timestamp });
      return;
    case 'completed':
      to.emit('job-completed', {
        jobId,
        queueName,
        processingTime: null,
        returnValue: parse(fields.get('returnvalue')),
        timestamp,
      });
      return;
    case 'failed':
      to.emit('job-failed', {
        jobId,
        queueName,
        failedReason: fields.get('failedReason') ?? '',
        attemptsMade: null,
        willRetry: false,
        timestamp,
      });
      return;
    default:
      return;
  }
}

function parse(text: string | undefined): unknown {
  try {
    return text === undefined ? null : (JSON.parse(text) as unknown);
  } catch {
    return text;
  }
}

const reading = readForever().catch((error: unknown) => {
  if (running) throw error;
});
reportUsageOverIpc();
listenOnLoopback(server);
process.on('SIGTERM', () => {
  running = false;
  redis.disconnect();
  void reading.finally(() => {
    void io.close();
    process.exit(0);
  });
});
