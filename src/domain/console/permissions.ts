/** What a token may do, from reading to wiping. */
export type Role = 'viewer' | 'operator' | 'admin';

/** Every change the console can make. */
export type ConsoleAction =
  | 'retry'
  | 'retry-all'
  | 'promote'
  | 'promote-all'
  | 'remove'
  | 'clean'
  | 'pause'
  | 'resume'
  | 'drain'
  | 'reenqueue'
  | 'duplicate'
  | 'add-job'
  | 'silence'
  | 'test-alert';

const rank: Readonly<Record<Role, number>> = { viewer: 0, operator: 1, admin: 2 };

/**
 * The least role each change needs: an operator keeps jobs moving (retry, promote, pause, add);
 * an operator also silences alerts; only an admin destroys or sends (remove, clean, drain, test
 * alerts). A viewer changes nothing.
 */
export const minimumRole: Readonly<Record<ConsoleAction, Role>> = {
  retry: 'operator',
  'retry-all': 'operator',
  promote: 'operator',
  'promote-all': 'operator',
  pause: 'operator',
  resume: 'operator',
  reenqueue: 'operator',
  duplicate: 'operator',
  'add-job': 'operator',
  silence: 'operator',
  remove: 'admin',
  clean: 'admin',
  drain: 'admin',
  'test-alert': 'admin',
};

/** Every action, in a stable order. */
export const consoleActions = Object.keys(minimumRole) as readonly ConsoleAction[];

/** Why a change is refused, or `null` when it is allowed. */
export type Refusal = 'read-only' | 'role-too-low' | null;

/** May `role` do `action`? In read-only mode nobody changes anything. */
export function refusalOf(role: Role, action: ConsoleAction, readOnly: boolean): Refusal {
  if (readOnly) return 'read-only';
  return rank[role] >= rank[minimumRole[action]] ? null : 'role-too-low';
}

/** The actions `role` may do. */
export function allowedActions(role: Role, readOnly: boolean): ConsoleAction[] {
  return consoleActions.filter((action) => refusalOf(role, action, readOnly) === null);
}
