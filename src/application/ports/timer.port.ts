/** Waiting and repeating, for the use cases that retry later or run on a cadence. */
export interface Timer {
  /** Resolve after `ms`; reject when `signal` aborts first. */
  delay(ms: number, signal?: AbortSignal): Promise<void>;
  /** Run `task` every `ms` until the returned function is called. */
  every(ms: number, task: () => void): () => void;
  /** Resolve once the work waiting now (I/O, due timers) has had its turn. */
  nextTurn(): Promise<void>;
}
