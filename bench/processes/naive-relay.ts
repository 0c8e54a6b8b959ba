import { createServer } from 'node:http';
import { QueueEvents } from 'bullmq';
import { Server } from 'socket.io';
import { listenOnLoopback } from '../lib/listen.js';
import { roomsOf, serveRoomSubscriptions } from '../lib/room-subscriptions.js';
import { reportUsageOverIpc } from '../lib/usage-reporter.js';

/**
 * The relay users write by hand: one QueueEvents per queue, one emit per event, rooms per job.
 * The peer Queuewatch is measured against.
 */
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const queueNames = (process.env.QUEUEWATCH_QUEUES ?? 'bench').split(',');
const server = createServer();
const io = new Server(server, { serveClient: false });
const namespace = io.of('/job-progress');
serveRoomSubscriptions(namespace);
const listeners = queueNames.map((queueName) => {
  const events = new QueueEvents(queueName, { connection: { url: redisUrl } });
  events.on('progress', ({ jobId, data }) => {
    namespace
      .to(roomsOf(queueName, jobId))
      .emit('job-progress', { jobId, queueName, progress: data, timestamp: Date.now() });
  });
  events.on('completed', ({ jobId, returnvalue }) => {
    namespace.to(roomsOf(queueName, jobId)).emit('job-completed', {
      jobId,
      queueName,
      processingTime: null,
      returnValue: returnvalue as unknown,
      timestamp: Date.now(),
    });
  });
  events.on('failed', ({ jobId, failedReason }) => {
    namespace.to(roomsOf(queueName, jobId)).emit('job-failed', {
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
reportUsageOverIpc();
listenOnLoopback(server);
process.on('SIGTERM', () => {
  void Promise.all(listeners.map((events) => events.close())).then(() => {
    void io.close();
    process.exit(0);
  });
});
