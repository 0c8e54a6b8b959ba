import type { Namespace } from 'socket.io';

type Ack = (reply: unknown) => void;

/**
 * The subscription requests of Queuewatch's `/job-progress` gateway, as a hand-written relay
 * serves them: each one joins a Socket.IO room, nothing is checked or counted. Shared by the two
 * peers (naive relay and floor) so they accept exactly the same clients as Queuewatch.
 */
export function serveRoomSubscriptions(namespace: Namespace): void {
  namespace.on('connection', (socket) => {
    socket.on('subscribe-to-job', (payload: { jobId: string; queueName?: string }, ack?: Ack) => {
      void socket.join(`job:${payload.queueName ?? '*'}:${payload.jobId}`);
      ack?.({ ok: true });
    });
    socket.on('subscribe-to-queue', (payload: { queueName: string }, ack?: Ack) => {
      void socket.join(payload.queueName === '*' ? 'all' : `queue:${payload.queueName}`);
      ack?.({ ok: true });
    });
  });
}

/** The rooms an event about this job goes to; a socket in several gets it once. */
export function roomsOf(queueName: string, jobId: string): string[] {
  return [`job:${queueName}:${jobId}`, `job:*:${jobId}`, `queue:${queueName}`, 'all'];
}
