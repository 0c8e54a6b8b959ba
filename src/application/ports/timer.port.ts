/** Waiting, for the use cases that retry later; a test resolves the waits itself. */
export interface Timer {
  /** Resolve after `ms`; reject when `signal` aborts first. */
  delay(ms: number, signal?: AbortSignal): Promise<void>;
}
