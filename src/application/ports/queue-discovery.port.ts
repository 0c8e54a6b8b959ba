/** Finds the BullMQ queues that exist. */
export interface QueueDiscovery {
  /** Names of every queue under the configured prefix. */
  discover(): Promise<string[]>;
}
