import type { Redis } from 'ioredis';

/**
 * A BullMQ queue's backlog as Queuewatch's history defines it: waiting + paused + prioritized +
 * delayed jobs already due (BullMQ scores a delayed job `due ms × 4096 + counter`).
 */
export async function queueBacklog(
  redis: Redis,
  prefix: string,
  queueName: string,
): Promise<number> {
  const key = (name: string): string => `${prefix}:${queueName}:${name}`;
  const dueScore = (Date.now() + 1) * 4096 - 1;
  const replies =
    (await redis
      .pipeline()
      .llen(key('wait'))
      .llen(key('paused'))
      .zcard(key('prioritized'))
      .zcount(key('delayed'), '-inf', dueScore)
      .exec()) ?? [];
  return replies.reduce((sum, [error, count]) => {
    if (error) throw error;
    return sum + Number(count);
  }, 0);
}
