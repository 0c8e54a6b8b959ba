/**
 * Publish/subscribe between processes (PubSubPort): custom progress from workers, and any signal
 * between Queuewatch instances. Delivery is at most once, to whoever is subscribed at the time.
 */
export interface PubSubPort {
  /** Receive every message published on `channel` from now on; resolves once subscribed. */
  subscribe(channel: string, listener: (message: string) => void): Promise<void>;
  /** Publish a message on `channel`; resolves with how many subscribers received it. */
  publish(channel: string, message: string): Promise<number>;
  /** Stop receiving and let go of the connection. */
  close(): Promise<void>;
}
