import { createServer } from 'node:http';
import { QueueEvents } from 'bullmq';
import { Server } from 'socket.io';

/**
 * The relay users write by hand: one QueueEvents per queue, one emit per event, rooms per job.
 * The peer Queuewatch is measured against.
 */
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const queueNames = (process.env.QUEUEWATCH_QUEUES ?? 'bench').split(',');
const server = createServer();
const io = new Server(server, { serveClient: false });
const namespace = io.of('/job-progress');
namespace.on('connection', (socket) => {
  socket.on(
    'subscribe-to-job',
    (payload: { jobId: string; queueName?: string }, ack?: (reply: unknown) => void) => {
      void socket.join(`job:${payload.queueName ?? '*'}:${payload.jobId}`);
      ack?.({ ok: true });
    },
  );
  socket.on(
    'subscribe-to-queue',
    (payload: { queueName: string }, ack?: (reply: unknown) => void) => {
      void socket.join(payload.queueName === '*' ? 'all' : `queue:${payload.queueName}`);
      ack?.({ ok: true });
    },
  );
});
const rooms = (queueName: string, jobId: string) => [
  `job:${queueName}:${jobId}`,
  `job:*:${jobId}`,
  `queue:${queueName}`,
  'all',
];
const listeners = queueNames.map((queueName) => {
  const events = new QueueEvents(queueName, { connection: { url: redisUrl } });
  events.on('progress', ({ jobId, data }) => {
    namespace
      .to(rooms(queueName, jobId))
      .emit('job-progress', { jobId, queueName, progress: data, timestamp: Date.now() });
  });
  events.on('completed', ({ jobId, returnvalue }) => {
    namespace.to(rooms(queueName, jobId)).emit('job-completed', {
      jobId,
      queueName,
      processingTime: null,
      returnValue: returnvalue as unknown,
      timestamp: Date.now(),
    });
  });
  events.on('failed', ({ jobId, failedReason }) => {
    namespace.to(rooms(queueName, jobId)).emit('job-failed', {
      jobId,
      queueName,
      failedReason,
      attemptsMade: null,
      willRetry: false,
      timestamp: Date.now(),
    });
  });
  return events;
});
await Promise.all(listeners.map((events) => events.waitUntilReady()));
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`listening http://127.0.0.1:${String(port)}\n`);
});
process.on('SIGTERM', () => {
  void Promise.all(listeners.map((events) => events.close())).then(() => {
    void io.close();
    process.exit(0);
  });
});
