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
  const tokens: ConsoleToken[] =
    apiToken === null ? [] : [{ name: 'admin', role: 'admin', token: apiToken }];
  for (const [index, entry] of (input?.tokens ?? []).entries()) {
    const where = `config file: auth.tokens[${String(index)}] ("${entry.name}")`;
    if (tokens.some((token) => token.name === entry.name)) {
      throw new ConfigError(
        entry.name === 'admin' && apiToken !== null
          ? `${where}: the name "admin" is QUEUEWATCH_API_TOKEN's; choose another`
          : `${where}: the name "${entry.name}" is used twice`,
      );
    }
    const value = env[entry.tokenEnv];
    if (value === undefined || value === '') {
      throw new ConfigError(`${where}: the environment variable ${entry.tokenEnv} is not set`);
    }
    if (value.length < minimumTokenLength) {
      throw new ConfigError(
        `${where}: ${entry.tokenEnv} is shorter than ${String(minimumTokenLength)} characters ` +
          '(e.g. `openssl rand -hex 32`)',
      );
    }
    const same = tokens.find((token) => token.token === value);
    if (same) {
      throw new ConfigError(`${where}: ${entry.tokenEnv} holds the same token as "${same.name}"`);
    }
    tokens.push({ name: entry.name, role: entry.role, token: value });
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
