import { Queue } from 'bullmq';
import type { RedisClient } from './redis-topology.js';
import type { JobSubmitter } from '../../application/ports/job-submitter.port.js';

/**
 * Adds jobs through BullMQ, every queue on Queuewatch's connection for short commands: an add
 * that gets no answer within the command timeout fails instead of hanging the request.
 */
export class BullmqJobSubmitter implements JobSubmitter {
  private readonly queues = new Map<string, Queue>();

  constructor(
    private readonly connection: RedisClient,
    private readonly prefix: string,
  ) {}

  async submit(queueName: string, name: string, data: unknown): Promise<string> {
    const job = await this.queueOf(queueName).add(name, data, {
      removeOnComplete: { count: 1_000 },
      removeOnFail: { count: 5_000 },
    });
    return String(job.id);
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }

  private queueOf(queueName: string): Queue {
    let queue = this.queues.get(queueName);
    if (!queue) {
      queue = new Queue(queueName, { connection: this.connection, prefix: this.prefix });
      queue.on('error', () => undefined);
      this.queues.set(queueName, queue);
    }
    return queue;
  }
}
