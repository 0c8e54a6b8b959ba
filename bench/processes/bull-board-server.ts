import { createServer } from 'node:http';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue } from 'bullmq';
import express from 'express';
import { listenOnLoopback } from '../lib/listen.js';
import { reportUsageOverIpc } from '../lib/usage-reporter.js';

/**
 * bull-board as its README sets it up: one BullMQ Queue (with its own connection options) per
 * queue, the Express adapter mounted at /, serving `GET /api/queues` — what its UI polls.
 */
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const queueNames = (process.env.QUEUEWATCH_QUEUES ?? 'bench').split(',');
const queues = queueNames.map((name) => new Queue(name, { connection: { url: redisUrl } }));
const serverAdapter = new ExpressAdapter();
serverAdapter.setBasePath('/');
createBullBoard({
  queues: queues.map((queue) => new BullMQAdapter(queue)),
  // @bull-board/express 9.10.1 brings its own copy of @bull-board/api (9.10.1): the same
  // adapter, typed twice. It works at run time (the bench checks every answer is 200).
  serverAdapter: serverAdapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
});
const app = express();
app.use('/', serverAdapter.getRouter() as express.Router);
await Promise.all(queues.map((queue) => queue.waitUntilReady()));
const server = createServer(app);
reportUsageOverIpc();
listenOnLoopback(server);
process.on('SIGTERM', () => {
  server.close();
  void Promise.all(queues.map((queue) => queue.close())).then(() => process.exit(0));
});
