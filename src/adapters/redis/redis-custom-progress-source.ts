import type { Redis } from 'ioredis';
import { z } from 'zod';
import type {
  CustomProgressChannel,
  CustomProgressMessage,
} from '../../application/contract/socket-events.js';
import type { CustomProgressSource } from '../../application/ports/custom-progress-source.port.js';
import type { Logger } from '../../application/ports/logger.port.js';

/** The channel workers publish on (see `queuewatch/worker`). */
export const customProgressChannel: CustomProgressChannel = 'queuewatch:custom-progress';

/** Messages larger than this are dropped: custom progress is a status, not a payload store. */
export const maxCustomProgressBytes = 64 * 1024;

const messageSchema = z.object({
  queueName: z
    .string()
    .min(1)
    .max(256)
    .regex(/^[^:]+$/),
  jobId: z.string().min(1).max(256),
  data: z.unknown(),
  timestamp: z.number().int().positive().optional(),
});

/**
 * Subscribes to the custom-progress channel on a connection of its own (a subscribed Redis
 * connection can do nothing else). Malformed messages are dropped and counted; a warning says
 * how many, at most once a minute, so a broken worker cannot flood the log.
 */
export class RedisCustomProgressSource implements CustomProgressSource {
  private dropped = 0;
  private lastWarning = 0;

  constructor(
    private readonly subscriber: Redis,
    private readonly logger: Logger,
  ) {}

  async start(listener: (message: CustomProgressMessage) => void): Promise<void> {
    this.subscriber.on('message', (channel: string, text: string) => {
      if (channel !== customProgressChannel) return;
      const message = this.parse(text);
      if (message) listener(message);
    });
    // ioredis subscribes again by itself after a reconnect.
    await this.subscriber.subscribe(customProgressChannel);
  }

  stop(): Promise<void> {
    this.subscriber.disconnect();
    return Promise.resolve();
  }

  private parse(text: string): CustomProgressMessage | null {
    let reason: string;
    if (text.length > maxCustomProgressBytes) {
      reason = `message of ${String(text.length)} bytes exceeds ${String(maxCustomProgressBytes)}`;
    } else {
      try {
        const result = messageSchema.safeParse(JSON.parse(text));
        if (result.success) {
          const { queueName, jobId, data, timestamp } = result.data;
          return timestamp === undefined
            ? { queueName, jobId, data }
            : { queueName, jobId, data, timestamp };
        }
        reason = result.error.issues
          .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
          .join('; ');
      } catch {
        reason = 'not JSON';
      }
    }
    this.dropped += 1;
    const now = Date.now();
    if (now - this.lastWarning >= 60_000) {
      this.logger.warn('dropped malformed custom-progress messages', {
        dropped: this.dropped,
        reason,
      });
      this.lastWarning = now;
      this.dropped = 0;
    }
    return null;
  }
}
