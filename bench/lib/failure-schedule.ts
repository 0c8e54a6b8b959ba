/**
 * Which share of attempts fails when: a steady share all the time, and a higher one during
 * periodic bursts, so a failure-rate alert fires during each burst and resolves after it.
 */
export interface FailureSchedule {
  /** Share of attempts that fail outside bursts (0–1). */
  readonly steadyShare: number;
  /** Share of attempts that fail during a burst (0–1). */
  readonly burstShare: number;
  /** A burst starts every `everyMs`, the first one `firstAtMs` after the load starts. */
  readonly everyMs: number;
  readonly firstAtMs: number;
  readonly lastsMs: number;
}

/** Is `elapsedMs` (since the load started) inside a burst? */
export function inBurst(schedule: FailureSchedule, elapsedMs: number): boolean {
  const sinceFirst = elapsedMs - schedule.firstAtMs;
  return sinceFirst >= 0 && sinceFirst % schedule.everyMs < schedule.lastsMs;
}

/** The share of attempts that fail at `elapsedMs` since the load started. */
export function failShareAt(schedule: FailureSchedule, elapsedMs: number): number {
  return inBurst(schedule, elapsedMs) ? schedule.burstShare : schedule.steadyShare;
}

/** How many bursts start within `durationMs` of load. */
export function burstsWithin(schedule: FailureSchedule, durationMs: number): number {
  if (durationMs <= schedule.firstAtMs) return 0;
  return Math.floor((durationMs - schedule.firstAtMs - 1) / schedule.everyMs) + 1;
}
