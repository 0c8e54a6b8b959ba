/** Waiting and repeating, for the use cases that retry later or run on a cadence. */
export interface Timer {
  /** Resolve after `ms`; reject when `signal` aborts first. */
  delay(ms: number, signal?: AbortSignal): Promise<void>;
  /** Run `task` every `ms` until the returned function is called. */
  every(ms: number, task: () => void): () => void;
}
