/** A job's state as BullMQ names it (the same names as the wire contract's). */
export type JobStateName =
  | 'waiting'
  | 'prioritized'
  | 'active'
  | 'delayed'
  | 'completed'
  | 'failed'
  | 'waiting-children'
  | 'unknown';

/** An action on one job. */
export type SingleJobAction = 'retry' | 'promote' | 'remove' | 'duplicate';

/**
 * The states each action on one job starts from: only a finished job is retried, only a delayed
 * one promoted; a job a worker holds (active) is not removed under it; any job can be copied.
 */
const allowedFrom: Readonly<Record<SingleJobAction, readonly JobStateName[]>> = {
  retry: ['failed', 'completed'],
  promote: ['delayed'],
  remove: ['waiting', 'prioritized', 'delayed', 'completed', 'failed', 'waiting-children'],
  duplicate: [
    'waiting',
    'prioritized',
    'active',
    'delayed',
    'completed',
    'failed',
    'waiting-children',
  ],
};

/** May `action` be done to a job in `state`? */
export function stateAllows(action: SingleJobAction, state: JobStateName): boolean {
  return allowedFrom[action].includes(state);
}

/** The states `action` starts from, for a message. */
export function statesAllowing(action: SingleJobAction): readonly JobStateName[] {
  return allowedFrom[action];
}
