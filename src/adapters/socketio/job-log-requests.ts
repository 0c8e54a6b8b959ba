import type { Namespace, Socket } from 'socket.io';
import { z } from 'zod';
import type {
  JobLogPayload,
  JobLogsChangeAck,
  JobLogsSubscriptionRequest,
  JobLogsUnsubscriptionRequest,
} from '../../application/contract/socket-events.js';
import type { FollowOutcome, JobLogSink } from '../../application/console/job-log-follower.js';
import type { Logger } from '../../application/ports/logger.port.js';
import { maxFieldLength } from './socket-payloads.js';
import { reasonOf } from '../../domain/wording/reason.js';

/** What the gateway asks of whoever follows job logs (the JobLogFollower). */
export interface JobLogFollowing {
  follow(
    subscriber: string,
    queueName: string,
    jobId: string,
    offset: number,
  ): Promise<FollowOutcome>;
  unfollow(subscriber: string, queueName: string, jobId: string): FollowOutcome;
  forget(subscriber: string): void;
}

const name = (what: string) =>
  z
    .string({ error: `${what} must be a string` })
    .min(1, `${what} must not be empty`)
    .max(maxFieldLength, `${what} must be at most ${String(maxFieldLength)} characters`);

const queueName = name('queueName').regex(/^[^:]*$/, 'queueName must not contain a colon');

const subscribeRequest = z.strictObject(
  {
    queueName,
    jobId: name('jobId'),
    offset: z
      .number({ error: 'offset must be a whole number from 0' })
      .int('offset must be a whole number from 0')
      .min(0, 'offset must be a whole number from 0')
      .max(1_000_000_000, 'offset must be at most 1,000,000,000')
      .optional(),
  },
  { error: () => 'payload must be an object like { queueName, jobId, offset? }' },
);

const unsubscribeRequest = z.strictObject(
  { queueName, jobId: name('jobId') },
  { error: () => 'payload must be an object like { queueName, jobId }' },
);

function parse<T>(
  schema: z.ZodType<T>,
  payload: unknown,
): { ok: true; value: T } | { ok: false; message: string } {
  const result = schema.safeParse(payload);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, message: result.error.issues.map((issue) => issue.message).join('; ') };
}

/** Sends `job-log` to sockets by id (every socket is in the room of its own id). */
export function namespaceLogSink(namespace: Namespace): JobLogSink {
  return {
    send: (subscribers: readonly string[], payload: JobLogPayload) => {
      if (subscribers.length > 0) namespace.to([...subscribers]).emit('job-log', payload);
    },
  };
}

/**
 * Serve `subscribe-to-job-logs` and `unsubscribe-from-job-logs` on a socket, and forget its
 * follows when it disconnects.
 */
export function serveJobLogRequests(
  socket: Socket,
  following: JobLogFollowing,
  logger: Logger,
): void {
  const ackOf = (args: unknown[]) => {
    const last = args.at(-1);
    return typeof last === 'function' ? (last as (reply: JobLogsChangeAck) => void) : undefined;
  };
  const answer = (outcome: FollowOutcome, queue: string, jobId: string): JobLogsChangeAck =>
    outcome.ok
      ? { ok: true, changed: outcome.changed, queueName: queue, jobId, count: outcome.count }
      : { ok: false, error: { code: outcome.code, message: outcome.message } };

  socket.on('subscribe-to-job-logs', (...args: unknown[]) => {
    const ack = ackOf(args);
    const request = parse<JobLogsSubscriptionRequest>(subscribeRequest, args[0]);
    if (!request.ok) {
      ack?.({ ok: false, error: { code: 'QW_INVALID_PAYLOAD', message: request.message } });
      return;
    }
    const { queueName: queue, jobId, offset } = request.value;
    following.follow(socket.id, queue, jobId, offset ?? 0).then(
      (outcome) => ack?.(answer(outcome, queue, jobId)),
      (error: unknown) => {
        logger.error('a socket request failed', {
          event: 'subscribe-to-job-logs',
          reason: reasonOf(error),
        });
        ack?.({
          ok: false,
          error: { code: 'QW_INTERNAL', message: 'internal error; see the Queuewatch log' },
        });
      },
    );
  });

  socket.on('unsubscribe-from-job-logs', (...args: unknown[]) => {
    const ack = ackOf(args);
    const request = parse<JobLogsUnsubscriptionRequest>(unsubscribeRequest, args[0]);
    if (!request.ok) {
      ack?.({ ok: false, error: { code: 'QW_INVALID_PAYLOAD', message: request.message } });
      return;
    }
    const { queueName: queue, jobId } = request.value;
    ack?.(answer(following.unfollow(socket.id, queue, jobId), queue, jobId));
  });

  socket.on('disconnect', () => {
    following.forget(socket.id);
  });
}
