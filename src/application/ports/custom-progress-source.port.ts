import type { CustomProgressMessage } from '../contract/socket-events.js';

/** Custom progress published by workers in other processes (Redis pub/sub). */
export interface CustomProgressSource {
  /** Begin receiving; only well-formed messages reach the listener. */
  start(listener: (message: CustomProgressMessage) => void): Promise<void>;
  stop(): Promise<void>;
}
