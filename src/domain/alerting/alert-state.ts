/** Where one rule stands for one queue. */
export type AlertState =
  | { readonly status: 'ok' }
  | {
      readonly status: 'firing';
      /** When the incident began (ms). */
      readonly since: number;
      /** When it was last notified (ms), for the repeat interval. */
      readonly notifiedAt: number;
    };

/** What to tell the destinations, if anything. */
export type AlertTransition = 'fire' | 'repeat' | 'resolve' | null;

/** The state machine's answer: the next state and whether to notify. */
export interface AlertStep {
  readonly state: AlertState;
  readonly transition: AlertTransition;
}

/**
 * ok → firing when breached (notify once); while firing, quiet until `repeatIntervalMs` has
 * passed since the last notice (then repeat); firing → ok when cleared (one resolved notice).
 * Between the breach and the clear levels nothing changes, so an alert does not flap.
 */
export function stepAlert(
  state: AlertState,
  reading: { readonly breached: boolean; readonly cleared: boolean },
  now: number,
  repeatIntervalMs: number,
): AlertStep {
  if (state.status === 'ok') {
    return reading.breached
      ? { state: { status: 'firing', since: now, notifiedAt: now }, transition: 'fire' }
      : { state, transition: null };
  }
  if (reading.cleared) return { state: { status: 'ok' }, transition: 'resolve' };
  if (reading.breached && now - state.notifiedAt >= repeatIntervalMs) {
    return { state: { ...state, notifiedAt: now }, transition: 'repeat' };
  }
  return { state, transition: null };
}
