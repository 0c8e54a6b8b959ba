import type {
  CustomProgressChannel,
  CustomProgressMessage,
} from '../application/contract/socket-events.js';

/** The channel Queuewatch listens on for custom progress. */
export const customProgressChannel: CustomProgressChannel = 'queuewatch:custom-progress';

/** Anything that can PUBLISH: an ioredis `Redis` (not one in subscriber mode), or a cluster. */
export interface Publisher {
  publish(channel: string, message: string): Promise<number>;
}

/**
 * Publish custom progress for a job, from any process, to every Queuewatch instance watching the
 * same Redis. Subscribers to the job, its queue or all queues receive it as `custom-progress`.
 * Resolves with the number of Queuewatch instances that received it.
 *
 * @example
 * await publishCustomProgress(redis, { queueName: job.queueName, jobId: job.id!, data: { stage: 'embedding', done: 120, total: 500 } });
 */
export async function publishCustomProgress(
  redis: Publisher,
  message: Omit<CustomProgressMessage, 'timestamp'>,
): Promise<number> {
  const body: CustomProgressMessage = { ...message, timestamp: Date.now() };
  return redis.publish(customProgressChannel, JSON.stringify(body));
}

export type { CustomProgressMessage };
