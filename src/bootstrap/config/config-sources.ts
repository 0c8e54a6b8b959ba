import { ConfigError } from './config-error.js';
import { envSchema, type EnvConfig } from './env-schema.js';
import { fileSchema, type FileConfig } from './file-schema.js';
import { interpolateEnv } from './interpolate-env.js';
import { describeIssues, dottedPath } from './zod-issues.js';
import { reasonOf } from '../../domain/wording/reason.js';

/** Settings given as environment variables (or as what stands for them). */
export type Env = Readonly<Record<string, string | undefined>>;

/** Reads a file's text (the config file, a TLS file). */
export type ReadText = (path: string) => Promise<string>;

/** Values never echoed back in an error message. */
const secretKeys = new Set(['QUEUEWATCH_API_TOKEN', 'REDIS_URL', 'REDIS_SENTINEL_PASSWORD']);

/** How the settings are named in messages: where they come from, and each one's name. */
export interface SettingNames {
  /** `environment`, `createQueuewatch options`: said after "invalid". */
  readonly source: string;
  /** The name the user wrote for an environment variable's setting. */
  readonly nameOf: (key: keyof EnvConfig) => string;
  /** The value as the user wrote it (never called for a secret); JSON of the text by default. */
  readonly shownValue?: (key: keyof EnvConfig, text: string) => string;
}

const environmentNames: SettingNames = { source: 'environment', nameOf: (key) => key };

/**
 * Check the environment (or settings given as one: the command line's, the embedding
 * application's) against the schema; an empty value counts as unset. Throws ConfigError.
 */
export function parseEnv(env: Env, names: SettingNames = environmentNames): EnvConfig {
  // An empty variable (`QUEUEWATCH_API_TOKEN=`) means "not set", as in most tools.
  const present = Object.fromEntries(
    Object.keys(envSchema.shape).flatMap((key) => {
      const value = env[key];
      return value === undefined || value === '' ? [] : [[key, value]];
    }),
  );
  const result = envSchema.safeParse(present);
  if (result.success) return result.data;
  throw new ConfigError(
    `invalid ${names.source}: ${describeIssues(result.error, (path) => {
      const key = String(path[0]) as keyof EnvConfig;
      const value = present[key];
      const name = names.nameOf(key);
      if (typeof value !== 'string' || secretKeys.has(key)) return name;
      return `${name}=${names.shownValue?.(key, value) ?? JSON.stringify(value)}`;
    })}`,
  );
}

/** A parsed config document (the file's, or what stands for it) checked against the schema. */
export function parseConfigDocument(document: unknown, source: string): FileConfig {
  const result = fileSchema.safeParse(document);
  if (result.success) return result.data;
  throw new ConfigError(
    `${source}: ${describeIssues(result.error, (issuePath) => dottedPath(issuePath) || '(root)')}`,
  );
}

/** The config file at `path`, its `${VAR}` references filled in from `env`, checked. */
export async function readConfigFile(
  path: string,
  env: Env,
  readText: ReadText,
): Promise<FileConfig> {
  let text: string;
  try {
    text = await readText(path);
  } catch (error) {
    const reason = reasonOf(error);
    throw new ConfigError(`QUEUEWATCH_CONFIG: cannot read ${path}: ${reason}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = reasonOf(error);
    throw new ConfigError(`QUEUEWATCH_CONFIG: ${path} is not valid JSON: ${reason}`);
  }
  return parseConfigDocument(interpolateEnv(json, env, path), path);
}
