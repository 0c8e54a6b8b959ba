/** The one way the application learns the time, so tests can pin it. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}
