import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { JobSubmitter } from '../../application/ports/job-submitter.port.js';

/** Adds jobs through BullMQ, every queue on one shared connection of its own. */
export class BullmqJobSubmitter implements JobSubmitter {
  private readonly queues = new Map<string, Queue>();
  private connection: Redis | undefined;

  constructor(
    private readonly redisUrl: string,
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
    this.connection?.disconnect();
  }

  private queueOf(queueName: string): Queue {
    let queue = this.queues.get(queueName);
    if (!queue) {
      // Opened on first use: a Queuewatch whose Lab is never used opens no connection for it.
      this.connection ??= new Redis(this.redisUrl, {
        maxRetriesPerRequest: null,
        connectionName: 'queuewatch:lab',
      });
      this.connection.on('error', () => undefined);
      queue = new Queue(queueName, { connection: this.connection, prefix: this.prefix });
      queue.on('error', () => undefined);
      this.queues.set(queueName, queue);
    }
    return queue;
  }
}
