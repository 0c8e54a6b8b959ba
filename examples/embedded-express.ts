/**
 * An Express shop with routes of its own that mounts Queuewatch under `/queues`: the dashboard at
 * http://127.0.0.1:8080/queues/, the API under /queues/api/v1, the progress socket at
 * /queues/socket.io. See docs/embedding.md.
 *
 *   npm install queuewatch express bullmq
 *   REDIS_URL=redis://127.0.0.1:6379 node embedded-express.js
 */
import { createServer } from 'node:http';
import { Queue } from 'bullmq';
import express from 'express';
import { createQueuewatch } from 'queuewatch';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const orders = new Queue('orders', { connection: { url: redisUrl } });

const app = express();
app.use(express.json());

// The shop's own routes, before and after the mount: Queuewatch touches nothing outside /queues.
app.get('/', (_request, response) => {
  response.type('html').send('<h1>The shop</h1><p><a href="/queues/">Queues</a></p>');
});
app.post('/orders', async (request, response) => {
  const job = await orders.add('order', request.body as unknown);
  response.status(201).json({ jobId: job.id });
});

// Queuewatch opens its own Redis connections from the URL; an option it does not know, or a
// wrong value, throws here, before anything is started.
const queuewatch = await createQueuewatch({
  connection: { url: redisUrl },
  queues: ['orders'],
  // Put your own authentication in front of the router (app.use('/queues', requireAdmin, …)) for
  // the pages and the API; the socket is not behind Express middleware, so give it a token:
  ...(process.env.QUEUEWATCH_API_TOKEN
    ? { auth: { token: process.env.QUEUEWATCH_API_TOKEN } }
    : {}),
});
app.use('/queues', queuewatch.router);

const server = createServer(app);
// After mounting: the socket is served under the router's path, /queues/socket.io.
queuewatch.attach(server);
const port = Number(process.env.PORT ?? 8080);
server.listen(port, '127.0.0.1', () => {
  console.log(`The shop: http://127.0.0.1:${String(port)}/, its queues: …/queues/`);
});

async function shutDown(): Promise<void> {
  server.close();
  await queuewatch.close();
  await orders.close();
}
process.once('SIGINT', () => void shutDown());
process.once('SIGTERM', () => void shutDown());
