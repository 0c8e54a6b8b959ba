import { QueueKeys } from 'bullmq';

/**
 * The names of queues' keys that the event reader uses: each queue's event stream (made once per
 * queue: a sweep names thousands of them, several times a second), its job hashes, and the queue
 * a stream key belongs to.
 */
export class StreamKeys {
  private readonly keys: QueueKeys;
  private readonly streams = new Map<string, string>();
  private readonly head: string;

  constructor(prefix: string) {
    this.keys = new QueueKeys(prefix);
    this.head = `${prefix}:`;
  }

  /** The queue's BullMQ event stream, `<prefix>:<queue>:events`. */
  stream(queueName: string): string {
    let key = this.streams.get(queueName);
    if (key === undefined) {
      key = this.keys.toKey(queueName, 'events');
      this.streams.set(queueName, key);
    }
    return key;
  }

  /** The hash of one of the queue's jobs. */
  job(queueName: string, jobId: string): string {
    return this.keys.toKey(queueName, jobId);
  }

  /** The queue whose event stream this key is; `null` for any other key. */
  queueOf(streamKey: string): string | null {
    const tail = ':events';
    if (!streamKey.startsWith(this.head) || !streamKey.endsWith(tail)) return null;
    return streamKey.slice(this.head.length, -tail.length);
  }
}
