import { ConfigError } from './config-error.js';
import { dottedPath } from './zod-issues.js';

const reference = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Deeper than any config needs; a deeper file is refused before it can exhaust the stack. */
const maxDepth = 64;

/**
 * Replace `${NAME}` in every string of a parsed JSON value with the environment variable NAME,
 * so secrets can stay out of the file. A variable that is not set is an error naming where.
 */
export function interpolateEnv(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
  source: string,
  path: PropertyKey[] = [],
): unknown {
  if (path.length > maxDepth) {
    throw new ConfigError(
      `${source}: ${dottedPath(path)} is nested more than ${String(maxDepth)} levels deep`,
    );
  }
  if (typeof value === 'string') {
    return value.replace(reference, (_match, name: string) => {
      // The variables themselves only: not `constructor` or `toString`, which every object has.
      const replacement = Object.hasOwn(env, name) ? env[name] : undefined;
      if (replacement === undefined) {
        throw new ConfigError(
          `${source}: ${dottedPath(path) || '(root)'} refers to \${${name}}, but ${name} is not set`,
        );
      }
      return replacement;
    });
  }
  if (Array.isArray(value)) {
    return value.map((item, index) => interpolateEnv(item, env, source, [...path, index]));
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        interpolateEnv(item, env, source, [...path, key]),
      ]),
    );
  }
  return value;
}
