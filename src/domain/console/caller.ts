import type { Role } from './permissions.js';

/** Who makes a request: the name of the token it came with, and that token's role. */
export interface Caller {
  readonly name: string;
  readonly role: Role;
}

/** A configured token: its name (shown in the audit trail), its role, and its secret value. */
export interface ConsoleToken extends Caller {
  readonly token: string;
}

/** Without any configured token, everyone may do everything, under this name. */
export const anonymousCaller: Caller = { name: 'anonymous', role: 'admin' };
