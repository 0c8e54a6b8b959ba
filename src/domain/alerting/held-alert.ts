import { stepAlert, type AlertState, type AlertTransition } from './alert-state.js';

/** Where a rule with a "for" duration stands: the alert state, and since when it has breached. */
export interface HeldAlertState {
  readonly alert: AlertState;
  /** When the current unbroken breach began (ms); `null` while not breached. */
  readonly breachedSince: number | null;
}

/** A rule that has not breached. */
export const quietHeldState: HeldAlertState = { alert: { status: 'ok' }, breachedSince: null };

/** How long a breach must hold before it fires, and how often a firing alert repeats. */
export interface HoldTimes {
  /** A breach must hold this long (ms) before the alert fires; 0 fires on the first breach. */
  readonly forMs: number;
  readonly repeatIntervalMs: number;
}

/** The held state machine's answer: the next state and whether to notify. */
export interface HeldAlertStep {
  readonly state: HeldAlertState;
  readonly transition: AlertTransition;
}

/**
 * `stepAlert` with a "for" duration: a breach is pending until it has held `forMs` without a
 * break, and only then fires; a reading that is not a breach ends the pending one. Once firing,
 * the alert clears only at the clear level (hysteresis), exactly as `stepAlert` says.
 */
export function stepHeldAlert(
  state: HeldAlertState,
  reading: { readonly breached: boolean; readonly cleared: boolean },
  now: number,
  times: HoldTimes,
): HeldAlertStep {
  if (state.alert.status === 'ok') {
    if (!reading.breached) return { state: quietHeldState, transition: null };
    const breachedSince = state.breachedSince ?? now;
    if (now - breachedSince < times.forMs) {
      return { state: { alert: state.alert, breachedSince }, transition: null };
    }
    const step = stepAlert(state.alert, reading, now, times.repeatIntervalMs);
    return { state: { alert: step.state, breachedSince }, transition: step.transition };
  }
  const step = stepAlert(state.alert, reading, now, times.repeatIntervalMs);
  return {
    state: step.state.status === 'ok' ? quietHeldState : { ...state, alert: step.state },
    transition: step.transition,
  };
}
