import type { RedisClient } from './redis-connection.js';
import type { PubSubPort } from '../../application/ports/pub-sub.port.js';

/**
 * Redis pub/sub: subscriptions on a connection of their own (a subscribed connection can do
 * nothing else; ioredis subscribes again by itself after a reconnect), publishing on the
 * commands connection.
 */
export class RedisPubSub implements PubSubPort {
  private readonly listeners = new Map<string, ((message: string) => void)[]>();
  private listening = false;

  constructor(
    private readonly subscriber: RedisClient,
    private readonly publisher: RedisClient,
  ) {}

  async subscribe(channel: string, listener: (message: string) => void): Promise<void> {
    if (!this.listening) {
      this.listening = true;
      this.subscriber.on('message', (from: string, message: string) => {
        for (const each of this.listeners.get(from) ?? []) each(message);
      });
    }
    this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), listener]);
    await this.subscriber.subscribe(channel);
  }

  publish(channel: string, message: string): Promise<number> {
    return this.publisher.publish(channel, message);
  }

  close(): Promise<void> {
    this.subscriber.disconnect();
    return Promise.resolve();
  }
}
