import { isIP } from 'node:net';
import type { ConsoleToken } from '../../domain/console/caller.js';
import { ConfigError } from './config-error.js';
import type { AuthInput } from './file-schema.js';

/** The shortest token accepted, as for `QUEUEWATCH_API_TOKEN`. */
const minimumTokenLength = 16;

/**
 * The tokens Queuewatch accepts: `QUEUEWATCH_API_TOKEN` as the admin named `admin`, then each of
 * `auth.tokens` with its value read from its environment variable. Throws ConfigError naming the
 * entry when a variable is unset or short, a name is taken twice, or two entries share a value.
 */
export function consoleTokens(
  apiToken: string | null,
  input: AuthInput | undefined,
  env: Readonly<Record<string, string | undefined>>,
): ConsoleToken[] {
  return checkedTokens(
    apiToken,
    'QUEUEWATCH_API_TOKEN',
    (input?.tokens ?? []).map((entry, index) => {
      const where = `config file: auth.tokens[${String(index)}] ("${entry.name}")`;
      const value = env[entry.tokenEnv];
      if (value === undefined || value === '') {
        throw new ConfigError(`${where}: the environment variable ${entry.tokenEnv} is not set`);
      }
      return { ...entry, token: value, where, valueName: entry.tokenEnv };
    }),
  );
}

/** A token with its role and name, as an embedding application gives it. */
export interface TokenEntry {
  readonly name: string;
  readonly role: ConsoleToken['role'];
  readonly token: string;
}

/**
 * The tokens of an embedded Queuewatch: `auth.token` as the admin named `admin`, then each of
 * `auth.tokens`, checked as the config file's are. `where` names an entry in messages.
 */
export function embeddedTokens(
  apiToken: string | null,
  entries: readonly TokenEntry[],
  where: (index: number, entry: TokenEntry) => string,
): ConsoleToken[] {
  return checkedTokens(
    apiToken,
    'auth.token',
    entries.map((entry, index) => ({
      ...entry,
      where: where(index, entry),
      valueName: 'the token',
    })),
  );
}

/** Each entry added after `apiToken` (as `admin`), refusing short, shared or doubly named ones. */
function checkedTokens(
  apiToken: string | null,
  apiTokenName: string,
  entries: readonly (TokenEntry & { readonly where: string; readonly valueName: string })[],
): ConsoleToken[] {
  const tokens: ConsoleToken[] =
    apiToken === null ? [] : [{ name: 'admin', role: 'admin', token: apiToken }];
  for (const { where, valueName, ...entry } of entries) {
    if (tokens.some((token) => token.name === entry.name)) {
      throw new ConfigError(
        entry.name === 'admin' && apiToken !== null
          ? `${where}: the name "admin" is ${apiTokenName}'s; choose another`
          : `${where}: the name "${entry.name}" is used twice`,
      );
    }
    if (entry.token.length < minimumTokenLength) {
      throw new ConfigError(
        `${where}: ${valueName} is shorter than ${String(minimumTokenLength)} characters ` +
          '(e.g. `openssl rand -hex 32`)',
      );
    }
    const same = tokens.find((token) => token.token === entry.token);
    if (same) {
      throw new ConfigError(`${where}: its token is also "${same.name}"'s; give each its own`);
    }
    tokens.push({ name: entry.name, role: entry.role, token: entry.token });
  }
  return tokens;
}

/** Listening beyond loopback needs a token, unless anonymous access is asked for. */
export function requireTokenOffLoopback(
  config: { readonly auth: { readonly tokens: readonly unknown[] }; readonly host: string },
  allowAnonymous: boolean,
): void {
  if (config.auth.tokens.length > 0 || allowAnonymous || isLoopback(config.host)) return;
  throw new ConfigError(
    `HOST=${config.host} makes Queuewatch reachable from other machines: set QUEUEWATCH_API_TOKEN ` +
      'or auth.tokens (or QUEUEWATCH_ALLOW_ANONYMOUS=true to serve without one)',
  );
}

/** A host name or address that only this machine reaches. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}
